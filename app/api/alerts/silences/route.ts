import { route, json } from "@/server/web/http/route";
import { NewSilenceBody } from "@/server/protocol/alerts";
import { createSilence, listSilences } from "@/server/web/services/alert-rules";

// Silences are fleet configuration, like rules' channels: listed to whoever manages alerts.
export const GET = route({ permission: "alert.manage" }, async ({ svc }) => json({ silences: await listSilences(svc) }));

export const POST = route({ permission: "alert.manage", body: NewSilenceBody }, async ({ svc, user, ip, body }) =>
  json(await createSilence(svc, { user, ip }, body), { status: 201 }),
);
