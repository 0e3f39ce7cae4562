import { route, json } from "@/server/web/http/route";
import { listTags } from "@/server/web/services/tags";

// Tags in use (pickers, filters): all of them for user.manage, else those on what the caller may see.
export const GET = route({ permission: "session.manage" }, async ({ svc, user }) => json(listTags(svc, user)));
