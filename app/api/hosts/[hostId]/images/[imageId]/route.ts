import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { audit } from "@/server/web/audit";

const Params = z.strictObject({ hostId: z.string().min(1).max(64), imageId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,255}$/, "an image id or name") });

// Removes an image; the engine refuses (409) while a container uses it unless force=1.
export const DELETE = route({ permission: "container.manage", params: Params, resource: (p) => ({ type: "host", id: p.hostId }), query: z.strictObject({ force: z.enum(["0", "1"]).default("0") }) }, async ({ svc, params, query, user, ip }) => {
  await svc.hub.call(params.hostId, "image.remove", { id: params.imageId, force: query.force === "1" }, 60_000);
  await audit(svc.db, { actor: user.username, userId: user.id, action: "image.remove", target: params.imageId, outcome: "success", ip });
  return json({ ok: true });
});
