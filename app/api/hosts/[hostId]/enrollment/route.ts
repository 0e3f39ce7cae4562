import { route, json } from "@/server/web/http/route";
import { HostParams, hostResource } from "@/server/web/http/params";
import { requestOrigin } from "@/server/web/agents/enroll-command";
import { renewHostEnrollment } from "@/server/web/services/hosts";

export const POST = route({ permission: "host.manage", params: HostParams, resource: hostResource }, async ({ svc, params, user, ip, req }) =>
  json(await renewHostEnrollment(svc, { user, ip }, params.hostId, requestOrigin(req, svc.baseUrl))),
);
