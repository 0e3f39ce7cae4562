// Benchmark: virtual network operations through the whole stack (HTTP → server → agent →
// libvirt RPC → libvirtd, which spawns dnsmasq and programs the firewall for NAT) next to
// the same libvirt calls made directly over RPC, so the Hangar share is visible.
// Run: npx tsx bench/networks.ts   (after npm run build and scripts/lab/test-services-up.sh)
//   BENCH_NETWORKS=10 rounds (each defines, starts, reads, stops and undefines one NAT network).
import { type Client, startWithAdmin } from "../tests/helpers/server";
import { until } from "../tests/helpers/lab";
import { LibvirtClient, networkCreate, networkDefineXml, networkDestroy, networkList, networkUndefine } from "../server/agent/libvirt";
import { networkXml } from "../server/agent/drivers/libvirt/network-xml";
import { summary } from "./stats";

const ROUNDS = Number(process.env.BENCH_NETWORKS ?? 10);
const PREFIX = `hx-c-bench-${process.pid}`;

async function timed<T>(into: number[], fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  into.push(performance.now() - t0);
  return r;
}

async function viaHangar(admin: Client, hostId: string) {
  const t: Record<string, number[]> = { define: [], start: [], list: [], leases: [], stop: [], undefine: [] };
  const ok = (r: { status: number; json: unknown }, what: string) => {
    if (r.status !== 200) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.json)}`);
  };
  for (let i = 0; i < ROUNDS; i++) {
    const name = `${PREFIX}-h${i}`;
    const base = `/api/hosts/${hostId}/networks`;
    const spec = { name, mode: "nat", address: `172.29.${i}.1`, prefix: 24, dhcpStart: `172.29.${i}.2`, dhcpEnd: `172.29.${i}.254` };
    ok(await timed(t.define!, () => admin.req("POST", base, spec)), "define");
    ok(await timed(t.start!, () => admin.req("POST", `${base}/${name}/actions`, { action: "start" })), "start");
    ok(await timed(t.list!, () => admin.req("GET", base)), "list");
    ok(await timed(t.leases!, () => admin.req("GET", `${base}/${name}/leases`)), "leases");
    ok(await timed(t.stop!, () => admin.req("POST", `${base}/${name}/actions`, { action: "stop" })), "stop");
    ok(await timed(t.undefine!, () => admin.req("DELETE", `${base}/${name}`)), "undefine");
  }
  return t;
}

async function viaRpc() {
  const c = new LibvirtClient();
  await c.connect();
  const t: Record<string, number[]> = { define: [], start: [], list: [], stop: [], undefine: [] };
  for (let i = 0; i < ROUNDS; i++) {
    const xml = networkXml({
      name: `${PREFIX}-r${i}`,
      mode: "nat",
      address: `172.28.${i}.1`,
      prefix: 24,
      dhcpStart: `172.28.${i}.2`,
      dhcpEnd: `172.28.${i}.254`,
    });
    const net = await timed(t.define!, () => networkDefineXml(c, xml));
    await timed(t.start!, () => networkCreate(c, net));
    await timed(t.list!, () => networkList(c));
    await timed(t.stop!, () => networkDestroy(c, net));
    await timed(t.undefine!, () => networkUndefine(c, net));
  }
  await c.close();
  return t;
}

async function main() {
  const rpc = await viaRpc();
  const { srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" });
  try {
    const host = await until("local host online", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
    );
    const http = await viaHangar(admin, host.id);
    console.log(`virtual networks, ${ROUNDS} rounds, NAT /24 with DHCP`);
    for (const [k, v] of Object.entries(rpc)) console.log("  libvirt RPC  " + summary(k, v));
    for (const [k, v] of Object.entries(http)) console.log("  Hangar HTTP  " + summary(k, v));
  } finally {
    await srv.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
