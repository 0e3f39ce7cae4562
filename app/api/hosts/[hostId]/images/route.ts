import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ApiError } from "@/server/web/http/errors";
import { ImageRef } from "@/server/protocol";
import { HostParams } from "@/server/web/agents/container-params";
import { streamImageUpload } from "@/server/web/containers/image-upload";

const resource = (p: { hostId: string }) => ({ type: "host" as const, id: p.hostId });

export const GET = route({ permission: "container.read", params: HostParams, resource }, async ({ svc, params }) => {
  return json(await svc.hub.call(params.hostId, "image.list", {}, 15_000));
});

const UploadQuery = z
  .strictObject({ mode: z.enum(["load", "import"]).default("load"), name: ImageRef.optional() })
  .refine((q) => q.mode !== "import" || !!q.name, { message: "required when mode=import (the new image's name, e.g. localhost/app:1)", path: ["name"] });

// Upload an image tar (body: the raw archive, Content-Type application/x-tar). It is
// streamed to the host's engine, never held in memory: "load" takes `docker save`/
// `podman save` archives, "import" a root file system tar that becomes image `name`.
export const POST = route({ permission: "container.manage", params: HostParams, resource, query: UploadQuery, rawBody: true }, async ({ svc, params, query, req, user, ip }) => {
  const ct = req.headers.get("content-type") ?? "";
  if (!/^application\/(x-tar|octet-stream)\b/.test(ct)) throw new ApiError("bad_request", "Send the archive as the body with Content-Type application/x-tar", { body: "expected application/x-tar" });
  if (!svc.hub.isOnline(params.hostId)) throw new ApiError("unavailable", "The host is offline: its agent is not connected");
  const r = await streamImageUpload(svc, { hostId: params.hostId, req, mode: query.mode, name: query.name, user, ip });
  return json(r, { status: 201 });
});
