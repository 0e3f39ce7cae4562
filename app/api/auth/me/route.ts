import { route, json } from "@/server/web/http/route";
import { publicUser } from "@/server/web/auth/accounts";

export const GET = route({ permission: "session.manage" }, async ({ user, session }) =>
  json({ user: publicUser(user), session: { id: session.id, expiresAt: session.expiresAt.toISOString() } }),
);
