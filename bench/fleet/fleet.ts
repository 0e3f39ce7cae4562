// The simulated fleet (issue 15 point 4): N real agent processes (the built dist/agent.mjs,
// exactly what a host runs), each on libvirt's test driver through the lab's libvirtd with
// its own node file of M running domains, enrolled the way an admin would (add the host,
// the agent exchanges the token) on 1..S servers round-robin. Each agent's server list
// starts with its home server and goes on with the others, so it fails over like a real one.
//
// A test:///<file>.xml connection holds a private copy of the file's domains (see
// ../test-domains.ts): only the agent's own connection sees and changes them, so a fleet
// is driven through Hangar (REST actions), never by virsh.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "../../tests/helpers/server";
import { privateMiB, rssMiB } from "../stats";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const AGENT = path.join(ROOT, "dist", "agent.mjs");
/** Agents started at once: each enrollment and first inventory costs the servers a little. */
const START_BATCH = 10;
/** Last bytes of each agent's output kept, to explain one that never came online. */
const LOG_KEEP = 4096;

export interface FleetOptions {
  /** Base URLs of the servers; agent i enrolls on and connects first to servers[i % S]. */
  servers: readonly string[];
  /** Signed in as an admin on any server (the database is shared). */
  admin: Client;
  agents: number;
  vmsPerAgent: number;
  /** Names of hosts, node files and domains start with it; keep the hx-<helper>- prefix. */
  prefix: string;
  /** Extra environment for every agent. */
  env?: Record<string, string>;
}

export interface FleetAgent {
  index: number;
  hostId: string;
  hostName: string;
  /** The server it enrolled on and dials first. */
  home: string;
  proc: ChildProcess;
  /** The uuids of its domains, in the node file's order (all running at start). */
  uuids: string[];
  nodeFile: string;
  stateDir: string;
  log: () => string;
}

/** UUID of domain j of agent i: unique across the fleet, so any row names its agent. */
export const fleetUuid = (i: number, j: number) => `${i.toString(16).padStart(8, "0")}-0000-4000-8000-${j.toString(16).padStart(12, "0")}`;

function nodeXml(prefix: string, i: number, m: number): string {
  const doms = Array.from(
    { length: m },
    (_, j) =>
      `<domain type='test'><name>${prefix}${i}-vm-${j}</name><uuid>${fleetUuid(i, j)}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`,
  );
  return `<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>1</threads><active>2</active><mhz>2000</mhz><model>x86</model></cpu><memory>25000000</memory>${doms.join("")}</node>`;
}

/** The same session on another server (sessions are rows of the shared database). */
export function signedIn(admin: Client, url: string): Client {
  const c = new Client(url);
  c.cookie = admin.cookie;
  return c;
}

export class Fleet {
  readonly agents: FleetAgent[] = [];

  private constructor(private readonly o: FleetOptions) {}

  /** Adds the hosts and starts their agents; resolves once all are spawned (not yet online). */
  static async start(o: FleetOptions): Promise<Fleet> {
    if (!fs.existsSync(AGENT)) throw new Error(`${AGENT} is missing: run \`npm run build\` first`);
    if (!o.servers.length) throw new Error("a fleet needs at least one server");
    const f = new Fleet(o);
    try {
      for (let i = 0; i < o.agents; i += START_BATCH) {
        const batch = Array.from({ length: Math.min(START_BATCH, o.agents - i) }, (_, k) => f.startAgent(i + k));
        f.agents.push(...(await Promise.all(batch)));
      }
    } catch (err) {
      await f.stop();
      throw err;
    }
    return f;
  }

  private async startAgent(i: number): Promise<FleetAgent> {
    const { admin, prefix, servers } = this.o;
    const hostName = `${prefix}${i}`;
    const created = await admin.req("POST", "/api/hosts", { name: hostName });
    if (created.status !== 201) throw new Error(`add host ${hostName}: ${created.status} ${JSON.stringify(created.json)}`);
    const nodeFile = path.join(os.tmpdir(), `${prefix}${process.pid}-${i}.xml`);
    fs.writeFileSync(nodeFile, nodeXml(prefix, i, this.o.vmsPerAgent));
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}state-`));
    const s = i % servers.length;
    const urls = [...servers.slice(s), ...servers.slice(0, s)];
    const proc = spawn(
      process.execPath,
      // `--flag=value`: a token may start with "-" (base64url).
      [
        AGENT,
        `--server=${urls.join(",")}`,
        `--enroll=${created.json.enrollToken as string}`,
        `--state=${stateDir}`,
        `--libvirt-uri=test://${nodeFile}`,
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          HANGAR_AGENT_ENV_FILE: "/nonexistent",
          // No container engine: every agent would list the lab's Podman otherwise.
          HANGAR_CONTAINER_SOCKET: "/nonexistent/hangar-fleet.sock",
          ...this.o.env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    const keep = (d: Buffer) => {
      out = (out + d.toString()).slice(-LOG_KEEP);
    };
    proc.stdout!.on("data", keep);
    proc.stderr!.on("data", keep);
    const uuids = Array.from({ length: this.o.vmsPerAgent }, (_, j) => fleetUuid(i, j));
    return { index: i, hostId: created.json.host.id as string, hostName, home: servers[s]!, proc, uuids, nodeFile, stateDir, log: () => out };
  }

  /**
   * Waits until every agent is online on some server (each server's /api/hosts counts
   * the agents connected to it; with the inventory mirror all of them) and every server
   * that holds one lists all of its domains.
   */
  async online(timeoutMs = 120_000): Promise<{ ms: number; byServer: number[] }> {
    const t0 = Date.now();
    const want = new Set(this.agents.map((a) => a.hostId));
    for (;;) {
      const views = await Promise.all(this.o.servers.map((url) => this.hostsOnline(url)));
      const up = new Set(views.flatMap((v) => [...v]));
      const missing = [...want].filter((id) => !up.has(id));
      if (!missing.length) return { ms: Date.now() - t0, byServer: views.map((v) => [...v].filter((id) => want.has(id)).length) };
      const dead = this.agents.find((a) => a.proc.exitCode !== null);
      if (dead) throw new Error(`agent ${dead.hostName} exited (${dead.proc.exitCode}):\n${dead.log()}`);
      if (Date.now() - t0 > timeoutMs) {
        const a = this.agents.find((x) => x.hostId === missing[0])!;
        throw new Error(`${missing.length} of ${want.size} agents not online after ${timeoutMs} ms; ${a.hostName} says:\n${a.log()}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Hosts of this fleet that the server at `url` shows online. */
  private async hostsOnline(url: string): Promise<Set<string>> {
    const r = await signedIn(this.o.admin, url).req("GET", "/api/hosts");
    if (r.status !== 200) throw new Error(`GET /api/hosts on ${url}: ${r.status}`);
    return new Set((r.json.hosts as { id: string; status: string }[]).filter((h) => h.status === "online").map((h) => h.id));
  }

  /** Resident memory of each live agent process, MiB. */
  rss(): number[] {
    return this.livePids().map(rssMiB);
  }

  /** Each live agent's private memory (MiB), the part that adds up across agents. */
  privateMemory(): number[] {
    return this.livePids().map(privateMiB);
  }

  private livePids(): number[] {
    return this.agents.filter((a) => a.proc.exitCode === null && a.proc.pid).map((a) => a.proc.pid!);
  }

  /** Stops every agent (SIGTERM, then SIGKILL after 5 s) and removes its files. */
  async stop(): Promise<void> {
    await Promise.all(
      this.agents.map(async (a) => {
        if (a.proc.exitCode === null && a.proc.signalCode === null) {
          const exited = new Promise<void>((r) => a.proc.once("exit", () => r()));
          a.proc.kill("SIGTERM");
          await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
          if (a.proc.exitCode === null && a.proc.signalCode === null) a.proc.kill("SIGKILL");
        }
        fs.rmSync(a.nodeFile, { force: true });
        fs.rmSync(a.stateDir, { recursive: true, force: true });
      }),
    );
  }
}
