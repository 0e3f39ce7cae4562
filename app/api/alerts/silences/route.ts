import { route, json } from "@/server/web/http/route";
import { NewSilenceBody } from "@/server/protocol/alerts";
import { createSilence, listSilences } from "@/server/web/services/alert-rules";

export const GET = route({ permission: "alert.read" }, async ({ svc }) => json({ silences: await listSilences(svc) }));

export const POST = route({ permission: "alert.manage", body: NewSilenceBody }, async ({ svc, user, ip, body }) =>
  json(await createSilence(svc, { user, ip }, body), { status: 201 }),
);
