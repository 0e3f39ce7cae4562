import { route, json } from "@/server/web/http/route";
import { createGroup, listGroups, NewGroupBody } from "@/server/web/services/groups";

export const GET = route({ permission: "user.manage" }, async ({ svc }) => json(await listGroups(svc)));

export const POST = route({ permission: "user.manage", body: NewGroupBody }, async ({ svc, user, ip, body }) =>
  json(await createGroup(svc, { user, ip }, body), { status: 201 }),
);
