// The simulated fleet as a command, against servers already running (one, or several on
// one PostgreSQL): signs in as an admin, adds the hosts, starts the agents, says when all
// are online and what they weigh, and on Ctrl-C stops them and removes their hosts.
// Run: npx tsx bench/fleet/run.ts --servers http://a:8080,http://b:8080 --agents 20 --vms 10
//   [--prefix hx-fleet-run-]   admin credentials from HANGAR_BENCH_USER / HANGAR_BENCH_PASSWORD.
import { parseArgs } from "node:util";
import { Client } from "../../tests/helpers/server";
import { pct } from "../stats";
import { Fleet } from "./fleet";

const { values: args } = parseArgs({
  options: {
    servers: { type: "string" },
    agents: { type: "string", default: "20" },
    vms: { type: "string", default: "10" },
    prefix: { type: "string", default: "hx-fleet-run-" },
  },
});
const servers = (args.servers ?? "").split(",").filter(Boolean);
if (!servers.length) throw new Error("--servers URL[,URL…] is required");
const user = process.env.HANGAR_BENCH_USER ?? "admin";
const password = process.env.HANGAR_BENCH_PASSWORD;
if (!password) throw new Error("HANGAR_BENCH_PASSWORD is required (an admin's password)");

const admin = new Client(servers[0]!);
const login = await admin.req("POST", "/api/auth/login", { username: user, password });
if (login.status !== 200) throw new Error(`sign-in on ${servers[0]}: ${login.status} ${JSON.stringify(login.json)}`);
const fleet = await Fleet.start({ servers, admin, agents: Number(args.agents), vmsPerAgent: Number(args.vms), prefix: args.prefix });
const up = await fleet.online(600_000);
const rss = fleet.rss();
console.log(
  `${fleet.agents.length} agents × ${args.vms} VMs online in ${(up.ms / 1000).toFixed(1)} s (per server ${up.byServer.join("/")}); ` +
    `agent RSS p50 ${pct(rss, 50).toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB. Ctrl-C stops them and removes their hosts.`,
);

let stopping = false;
process.on("SIGINT", () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await fleet.stop();
    for (const a of fleet.agents) await admin.req("DELETE", `/api/hosts/${encodeURIComponent(a.hostId)}`);
    console.log("fleet stopped, hosts removed");
    process.exit(0);
  })();
});
