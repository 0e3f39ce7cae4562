import { route, json } from "@/server/web/http/route";
import { CompleteResetBody, completeReset } from "@/server/web/services/account-links";

export const POST = route({ auth: "none", body: CompleteResetBody }, async ({ svc, body, ip }) => json(await completeReset(svc, body, ip)));
