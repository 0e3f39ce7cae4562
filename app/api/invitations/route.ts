import { route, json } from "@/server/web/http/route";
import { createInvitation, listInvitations, NewInvitationBody } from "@/server/web/services/account-links";

export const GET = route({ permission: "user.manage" }, async ({ svc }) => json({ invitations: await listInvitations(svc) }));

// The answer carries the link's secret: the only time it is ever shown.
export const POST = route({ permission: "user.manage", body: NewInvitationBody }, async ({ svc, user, body, ip }) =>
  json(await createInvitation(svc, { user, ip }, body), { status: 201, headers: { "Cache-Control": "no-store" } }),
);
