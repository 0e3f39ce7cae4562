// Pool and network changes made behind Hangar's back (virsh, on the real libvirtd) reach the
// browser: the agent subscribes to libvirt's pool and network lifecycle events and the
// server pushes pools.changed / networks.changed on /ws/events, each within 2 s, so the
// storage and networks pages re-read their lists without polling.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BrowserEvent } from "../../server/protocol/browser-events";
import { startWithAdmin, type Client, type TestServer } from "../helpers/server";
import { labSuite, until, virsh } from "../helpers/lab";
import { EventRecorder } from "../helpers/events";

const PREFIX = "hx-prov-";
const WITHIN_MS = 2000;

labSuite("libvirt", "pool and network events from outside Hangar", () => {
  let srv: TestServer;
  let admin: Client;
  let hostId: string;
  let ev: EventRecorder;
  const pool = `${PREFIX}evpool-${process.pid}`;
  const net = `${PREFIX}evnet-${process.pid}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-prov-evpool-"));
  // A subnet per run in 172.29.0.0/16, clear of the networks test's 172.31/16.
  const octet = 10 + (process.pid % 200);

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    const host = await until("local host online with libvirt", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find(
        (h: { status: string; libvirtConnected: boolean }) => h.status === "online" && h.libvirtConnected,
      ),
    );
    hostId = host.id;
    ev = await EventRecorder.open(srv.url, admin.cookie);
  }, 60_000);

  afterAll(async () => {
    ev?.close();
    await srv?.stop();
    for (const args of [
      ["pool-destroy", pool],
      ["pool-undefine", pool],
      ["net-destroy", net],
      ["net-undefine", net],
    ])
      try {
        virsh(...args);
      } catch {
        /* already gone */
      }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the virsh command and waits for the matching event; returns how long it took. */
  const pushed = async (what: string, cmd: string[], pred: (e: BrowserEvent) => boolean) => {
    const mark = ev.mark;
    const t0 = Date.now();
    virsh(...cmd);
    const e = await ev.waitFor(what, pred, mark, WITHIN_MS);
    return e.receivedAt - t0;
  };
  const poolEvent = (cause: string) => (e: BrowserEvent) => e.type === "pools.changed" && e.hostId === hostId && e.pool === pool && e.cause === cause;
  const netEvent = (cause: string) => (e: BrowserEvent) =>
    e.type === "networks.changed" && e.hostId === hostId && e.network === net && e.cause === cause;

  it("pushes pools.changed for virsh pool-define, start, refresh, destroy and undefine, and the list follows", async () => {
    const took: Record<string, number> = {};
    took.defined = await pushed("pool defined", ["pool-define-as", pool, "dir", "--target", dir], poolEvent("defined"));
    took.started = await pushed("pool started", ["pool-start", pool], poolEvent("started"));
    fs.writeFileSync(path.join(dir, "outside.raw"), Buffer.alloc(4096));
    took.refreshed = await pushed("pool refreshed", ["pool-refresh", pool], poolEvent("refreshed"));
    // What the storage page reads again on the event now shows the change.
    const vols = await admin.req("GET", `/api/hosts/${hostId}/pools/${pool}/volumes`);
    expect(vols.status, JSON.stringify(vols.json)).toBe(200);
    expect(vols.json.volumes.map((v: { name: string }) => v.name)).toContain("outside.raw");
    took.stopped = await pushed("pool stopped", ["pool-destroy", pool], poolEvent("stopped"));
    expect((await admin.req("GET", `/api/hosts/${hostId}/pools`)).json.pools.find((p: { name: string }) => p.name === pool)).toMatchObject({
      state: "inactive",
    });
    took.undefined = await pushed("pool undefined", ["pool-undefine", pool], poolEvent("undefined"));
    expect((await admin.req("GET", `/api/hosts/${hostId}/pools`)).json.pools.map((p: { name: string }) => p.name)).not.toContain(pool);
    console.log(`pool events after virsh (ms): ${JSON.stringify(took)}`);
    for (const ms of Object.values(took)) expect(ms).toBeLessThan(WITHIN_MS);
  });

  it("pushes networks.changed for virsh net-define, start, destroy and undefine", async () => {
    const xml = path.join(dir, "net.xml");
    fs.writeFileSync(xml, `<network><name>${net}</name><ip address='172.29.${octet}.1' prefix='24'/></network>`);
    const took: Record<string, number> = {};
    took.defined = await pushed("network defined", ["net-define", xml], netEvent("defined"));
    took.started = await pushed("network started", ["net-start", net], netEvent("started"));
    const row = (await admin.req("GET", `/api/hosts/${hostId}/networks`)).json.networks.find((n: { name: string }) => n.name === net);
    expect(row).toMatchObject({ active: true, mode: "isolated" });
    took.stopped = await pushed("network stopped", ["net-destroy", net], netEvent("stopped"));
    took.undefined = await pushed("network undefined", ["net-undefine", net], netEvent("undefined"));
    console.log(`network events after virsh (ms): ${JSON.stringify(took)}`);
    for (const ms of Object.values(took)) expect(ms).toBeLessThan(WITHIN_MS);
    // Events carry a sequence number: a reconnecting browser gets them replayed.
    expect(ev.events.filter((e) => e.type === "networks.changed").every((e) => "seq" in e && e.seq > 0)).toBe(true);
  });
});
