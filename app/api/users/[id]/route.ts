import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { deleteUser, setRole, UserPatchBody } from "@/server/web/auth/users";

const Params = z.strictObject({ id: z.string().min(1).max(64) });

export const PATCH = route({ permission: "user.manage", params: Params, body: UserPatchBody }, async ({ svc, user, params, body, ip }) => json({ user: await setRole(svc, user, params.id, body.role, ip) }));

export const DELETE = route({ permission: "user.manage", params: Params }, async ({ svc, user, params, ip }) => {
  await deleteUser(svc, user, params.id, ip);
  return json({ ok: true });
});
