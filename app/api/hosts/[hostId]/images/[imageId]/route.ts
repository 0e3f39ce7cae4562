import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ImageParams, hostResource } from "@/server/web/http/params";
import { removeImage } from "@/server/web/services/images";

// Removes an image; the engine refuses (409) while a container uses it unless force=1.
export const DELETE = route(
  { permission: "container.manage", params: ImageParams, resource: hostResource, query: z.strictObject({ force: z.enum(["0", "1"]).default("0") }) },
  async ({ svc, params, query, user, ip }) => {
    await removeImage(svc, { user, ip }, { hostId: params.hostId, imageId: params.imageId, force: query.force === "1" });
    return json({ ok: true });
  },
);
