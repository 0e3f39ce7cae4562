import { route, json } from "@/server/web/http/route";
import { ContainerParams, containerResource } from "@/server/web/http/params";
import { setTags, TagsBody } from "@/server/web/services/tags";

// Replaces the container's tags.
export const PUT = route(
  { permission: "container.manage", params: ContainerParams, resource: containerResource, body: TagsBody },
  async ({ svc, user, ip, params, body }) => json(await setTags(svc, { user, ip }, { type: "container", ...params }, body.tags)),
);
