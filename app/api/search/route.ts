import { json, route } from "@/server/web/http/route";
import { SearchQuery } from "@/server/protocol/search";
import { search } from "@/server/web/services/search";

// Any signed-in account may search: each kind of hit is cut to what the caller may read.
export const GET = route({ permission: "session.manage", query: SearchQuery }, async ({ svc, user, query }) =>
  json(await search(svc, user, query.q, query.limit)),
);
