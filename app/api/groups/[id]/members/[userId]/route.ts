import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { RowId } from "@/server/web/http/params";
import { removeMember } from "@/server/web/services/groups";

export const DELETE = route(
  { permission: "user.manage", params: z.strictObject({ id: RowId, userId: RowId }) },
  async ({ svc, user, ip, params }) => {
    await removeMember(svc, { user, ip }, params.id, params.userId);
    return json({ ok: true });
  },
);
