import { route, json } from "@/server/web/http/route";
import { DeliveryListQuery } from "@/server/protocol/alerts";
import { listDeliveries } from "@/server/web/services/alert-channels";

export const GET = route({ permission: "alert.manage", query: DeliveryListQuery }, async ({ svc, query }) =>
  json({ deliveries: await listDeliveries(svc, query) }),
);
