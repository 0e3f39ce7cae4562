import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ContainerParams, containerResource } from "@/server/web/http/params";
import { containerConsoleTicket } from "@/server/web/services/containers";

const Body = z.strictObject({
  kind: z.enum(["exec", "logs"]),
  cols: z.number().int().min(1).max(1000).optional(),
  rows: z.number().int().min(1).max(1000).optional(),
});

// A one-time ticket (30 s) for an exec shell or a live log follow, for this session only.
export const POST = route(
  { permission: "container.read", session: "required", params: ContainerParams, resource: containerResource, body: Body },
  async ({ svc, params, body, user, session, ip }) => json(await containerConsoleTicket(svc, { user, session, ip }, params, body)),
);
