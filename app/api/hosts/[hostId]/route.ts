import { route, json } from "@/server/web/http/route";
import { HostParams, hostResource } from "@/server/web/http/params";
import { getHost, removeHost } from "@/server/web/services/hosts";

export const GET = route({ permission: "host.read", params: HostParams, resource: hostResource }, async ({ svc, params }) =>
  json({ host: await getHost(svc, params.hostId) }),
);

export const DELETE = route({ permission: "host.manage", params: HostParams, resource: hostResource }, async ({ svc, params, user, ip }) => {
  await removeHost(svc, { user, ip }, params.hostId);
  return json({ ok: true });
});
