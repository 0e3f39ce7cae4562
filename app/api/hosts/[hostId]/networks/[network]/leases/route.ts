import { route, json } from "@/server/web/http/route";
import { NetworkParams, hostResource } from "@/server/web/http/params";
import { networkLeases } from "@/server/web/services/networks";

// The DHCP leases dnsmasq handed out on the network (MACs and addresses of guests): a read, like the network list.
export const GET = route({ permission: "vm.read", params: NetworkParams, resource: hostResource }, async ({ svc, params }) =>
  json(await networkLeases(svc, params.hostId, params.network)),
);
