import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { requestOrigin } from "@/server/web/agents/enroll-command";
import { UsernameSchema } from "@/server/web/auth/accounts";
import { addHost, listHosts } from "@/server/web/services/hosts";

export const GET = route({ permission: "host.read", scope: "filtered" }, async ({ svc, user }) => json({ hosts: await listHosts(svc, user) }));

export const POST = route({ permission: "host.manage", body: z.strictObject({ name: UsernameSchema }) }, async ({ svc, body, user, ip, req }) =>
  json(await addHost(svc, { user, ip }, body.name, requestOrigin(req, svc.baseUrl)), { status: 201 }),
);
