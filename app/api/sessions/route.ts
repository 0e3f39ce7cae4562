import { route, json } from "@/server/web/http/route";

export const GET = route({ permission: "session.manage" }, async ({ svc, user, session }) => {
  const rows = await svc.sessions.listForUser(user.id);
  return json({
    sessions: rows.map((s) => ({
      id: s.id,
      current: s.id === session.id,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      userAgent: s.userAgent,
      ip: s.ip,
    })),
  });
});
