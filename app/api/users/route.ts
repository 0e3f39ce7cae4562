import { route, json } from "@/server/web/http/route";
import { createUser, listUsers, NewUserBody } from "@/server/web/services/users";

export const GET = route({ permission: "user.manage" }, async ({ svc }) => json({ users: await listUsers(svc) }));

export const POST = route({ permission: "user.manage", body: NewUserBody }, async ({ svc, user, body, ip }) =>
  json({ user: await createUser(svc, { user, ip }, body) }, { status: 201 }),
);
