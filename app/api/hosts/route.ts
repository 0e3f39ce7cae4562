import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { createHost, hostRow } from "@/server/web/agents/hosts";
import { enrollCommand, requestOrigin } from "@/server/web/agents/enroll-command";
import { UsernameSchema } from "@/server/web/auth/accounts";
import { audit } from "@/server/web/audit";

export const GET = route({ permission: "host.read" }, async ({ svc }) => {
  const hosts = await svc.db.host.findMany({ orderBy: { name: "asc" } });
  return json({ hosts: hosts.map((h) => hostRow(h, svc.hub)) });
});

export const POST = route({ permission: "host.manage", body: z.strictObject({ name: UsernameSchema }) }, async ({ svc, body, user, ip, req }) => {
  const { host, token } = await createHost(svc.db, body.name);
  await audit(svc.db, { actor: user.username, userId: user.id, action: "host.create", target: host.name, outcome: "success", ip });
  svc.bus.publish({ type: "host.changed", hostId: host.id });
  return json({ host: hostRow(host, svc.hub), enrollToken: token, command: enrollCommand(requestOrigin(req, svc.baseUrl), token) }, { status: 201 });
});
