import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { PoolParams, hostResource } from "@/server/web/http/params";
import { uploadVolume } from "@/server/web/services/volume-upload";

// The name is checked by the service (400 naming `name`), not here: a refusal must also
// drain the body, which the query parser's 422 does not.
const UploadQuery = z.strictObject({ name: z.string().max(4096).default(""), overwrite: z.enum(["0", "1"]).default("0") });

// Upload an ISO or disk image into the pool as volume `name` (body: the raw file bytes, with
// its Content-Length), streamed to the host's agent as a task; the answer carries the SHA-256.
export const POST = route(
  { permission: "storage.manage", params: PoolParams, resource: hostResource, query: UploadQuery, rawBody: true },
  async ({ svc, params, query, req, user, ip }) =>
    json(
      await uploadVolume(svc, { user, ip }, { hostId: params.hostId, pool: params.pool, name: query.name, overwrite: query.overwrite === "1", req }),
      { status: 201 },
    ),
);
