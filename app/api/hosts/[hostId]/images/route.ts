import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ApiError } from "@/server/web/http/errors";
import { ImageRef } from "@/server/protocol";
import { HostParams, hostResource } from "@/server/web/http/params";
import { listImages, uploadImage } from "@/server/web/services/images";

export const GET = route({ permission: "container.read", params: HostParams, resource: hostResource }, async ({ svc, params }) =>
  json(await listImages(svc, params.hostId)),
);

const UploadQuery = z
  .strictObject({ mode: z.enum(["load", "import"]).default("load"), name: ImageRef.optional() })
  .refine((q) => q.mode !== "import" || !!q.name, {
    message: "required when mode=import (the new image's name, e.g. localhost/app:1)",
    path: ["name"],
  });

// Upload an image tar (body: the raw archive, Content-Type application/x-tar), streamed to
// the host's engine: "load" takes `docker save`/`podman save` archives, "import" a root
// file system tar that becomes image `name`.
export const POST = route(
  { permission: "container.manage", params: HostParams, resource: hostResource, query: UploadQuery, rawBody: true },
  async ({ svc, params, query, req, user, ip }) => {
    const ct = req.headers.get("content-type") ?? "";
    if (!/^application\/(x-tar|octet-stream)\b/.test(ct))
      throw new ApiError("bad_request", "Send the archive as the body with Content-Type application/x-tar", { body: "expected application/x-tar" });
    return json(await uploadImage(svc, { user, ip }, { hostId: params.hostId, req, mode: query.mode, name: query.name }), { status: 201 });
  },
);
