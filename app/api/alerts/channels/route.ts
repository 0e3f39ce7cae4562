import { route, json } from "@/server/web/http/route";
import { NewChannelBody } from "@/server/protocol/alerts";
import { createChannel, listChannels } from "@/server/web/services/alert-channels";

// Channel addresses can carry tokens: only whoever manages alerts lists them.
export const GET = route({ permission: "alert.manage" }, async ({ svc }) => json({ channels: await listChannels(svc) }));

// The answer holds the secret in full, this once.
export const POST = route({ permission: "alert.manage", body: NewChannelBody }, async ({ svc, user, ip, body }) =>
  json(await createChannel(svc, { user, ip }, body), { status: 201, headers: { "Cache-Control": "no-store" } }),
);
