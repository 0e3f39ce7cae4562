import { route, json } from "@/server/web/http/route";
import { AssignmentQuery, createAssignment, listAssignments, NewAssignmentBody } from "@/server/web/services/role-assignments";

export const GET = route({ permission: "user.manage", query: AssignmentQuery }, async ({ svc, query }) => json(await listAssignments(svc, query)));

export const POST = route({ permission: "user.manage", body: NewAssignmentBody }, async ({ svc, user, ip, body }) =>
  json(await createAssignment(svc, { user, ip }, body), { status: 201 }),
);
