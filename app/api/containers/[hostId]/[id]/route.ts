import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ContainerName } from "@/server/protocol";
import { ContainerParams, containerResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { containerAction, getContainer, renameContainer } from "@/server/web/services/containers";

export const GET = route({ permission: "container.read", params: ContainerParams, resource: containerResource }, async ({ svc, params }) =>
  json(await getContainer(svc, params)),
);

export const PATCH = route(
  { permission: "container.manage", params: ContainerParams, resource: containerResource, body: z.strictObject({ name: ContainerName }) },
  async ({ svc, params, body, user, ip }) => json(await renameContainer(svc, { user, ip }, params, body.name)),
);

// Removal is a task; `force=1` also removes a running container.
export const DELETE = route(
  {
    permission: "container.manage",
    params: ContainerParams,
    resource: containerResource,
    query: z.strictObject({ force: z.enum(["0", "1"]).default("0") }),
  },
  async ({ svc, params, query, user, ip, req }) => {
    const r = await containerAction(
      svc,
      { user, ip },
      { ...params, action: "remove", force: query.force === "1", idempotencyKey: idempotencyKey(req) },
    );
    return json({ task: r.task }, { status: r.done ? 200 : 202 });
  },
);
