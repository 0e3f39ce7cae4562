// Consoles and streams across servers (issue 15 point 1, decision 0005 "consoles"): two
// real servers on one real PostgreSQL, the lab's real agent connected to A, a browser on B.
// B redeems the ticket and checks the right; A, trusting only the cluster secret, dials the
// agent and splices: VNC, serial, container exec and logs, a volume upload, one extra hop.
//
// Tickets are taken on A: B's hub has no mirror of A's inventory yet (the ticket routes look
// the machine up there); the ticket rows are shared, so B redeems them as its own.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type WebSocket from "ws";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCluster, type Cluster } from "../helpers/cluster";
import { Client, freePort } from "../helpers/server";
import { CHUNK, pattern, streamServer } from "../helpers/stream-source";
import { collectText, openConsole, ticket } from "../helpers/console";
import { LAB_DIR, guestReady, labSuite, until, virsh } from "../helpers/lab";
import { undefineScratch } from "../helpers/scratch-domains";
import { RfbSession, wsTransport } from "../../bench/rfb-client";
import { CLUSTER_HEADER } from "@/server/web/cluster/internal-auth";
import { encodeStreamRequest, INTERNAL_STREAM_PATH, STREAM_REQUEST_HEADER } from "@/server/web/cluster/stream-request";
import { CONSOLE_CLOSE, RAW_UPGRADE } from "../../server/protocol";

const PREFIX = "hx-xstream-";
const VM = `${PREFIX}guest`;
const CT = `${PREFIX}ct`;
const POOL = `${PREFIX}pool`;
const SECRET = randomBytes(24).toString("base64url");
const IMAGE = "localhost/hangar-busybox:latest";
const SOCKET = process.env.HANGAR_PODMAN_SOCKET ?? "";
const podman = (...a: string[]) => execFileSync("podman", a, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const closeOf = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((r) => ws.once("close", (code, reason) => r({ code, reason: reason.toString() })));

function removeContainers(): void {
  for (const n of podman("ps", "-a", "--format", "{{.Names}}")
    .split("\n")
    .filter((x) => x.startsWith(PREFIX)))
    podman("rm", "-f", "-t", "0", n);
}

function dropPool(): void {
  try {
    virsh("pool-destroy", POOL);
  } catch {
    /* not active */
  }
}

/** The lab's tiny guest (kernel + busybox initramfs): a shell on VNC (tty1) and on serial. */
function defineGuest(): void {
  const g = path.join(LAB_DIR, "guest");
  const virt = process.env.HANGAR_VIRT_TYPE ?? "qemu";
  const file = path.join(os.tmpdir(), `${VM}.xml`);
  fs.writeFileSync(
    file,
    `<domain type='${virt}'><name>${VM}</name><memory unit='MiB'>192</memory><vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>${g}/vmlinuz</kernel><initrd>${g}/initrd.gz</initrd><cmdline>console=tty1 console=ttyS0</cmdline></os>
  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
  <devices>
    <serial type='pty'><log file='${LAB_DIR}/logs/${VM}.serial.log' append='off'/><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <video><model type='vga'/></video>
  </devices></domain>`,
  );
  try {
    virsh("define", file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** A raw upgrade to a server's /internal/stream, as a peer would send it: the status it got. */
function internalStream(base: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(INTERNAL_STREAM_PATH, base), { headers: { Connection: "Upgrade", Upgrade: RAW_UPGRADE, ...headers } });
    req.once("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: "" });
    });
    req.once("response", (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once("error", reject);
    req.end();
  });
}

/** Established TCP connections from any process to the guest's VNC port (the agent's, here). */
function vncConnections(port: number): number {
  return execFileSync("ss", ["-tnH", "state", "established", "dport", `= :${port}`], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean).length;
}

labSuite(["postgres", "libvirt", "podman"], "consoles and streams through another server (one hop)", () => {
  let cluster: Cluster;
  let a: string;
  let b: string;
  let onA: Client;
  let onB: Client;
  let hostId = "";
  let uuid = "";
  let vncPort = 0;
  const poolDir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}pool-`));
  fs.chmodSync(poolDir, 0o755);

  beforeAll(async () => {
    undefineScratch(PREFIX);
    removeContainers();
    dropPool();
    defineGuest();
    virsh("start", VM);
    virsh("pool-create-as", POOL, "dir", "--target", poolDir);
    podman("run", "-d", "--name", CT, IMAGE, "sh", "-c", "echo hello-xstream; while :; do sleep 1; done");
    // The lab's agent runs beside A only; the browser below is on B.
    cluster = await startCluster(2, { HANGAR_CLUSTER_SECRET: SECRET }, (i): Record<string, string> =>
      i === 0 ? { HANGAR_LOCAL_AGENT: "1", HANGAR_CONTAINER_SOCKET: SOCKET } : {},
    );
    [a, b] = cluster.servers.map((s) => s.url) as [string, string];
    onA = cluster.admin;
    onB = Object.assign(new Client(b), { cookie: onA.cookie }); // sessions are in the database
    const row = await until(
      "guest running on A with its VNC port",
      async () =>
        (
          (await onA.req("GET", "/api/machines")).json.rows as {
            name: string;
            state: string;
            hostId: string;
            uuid: string;
            graphics: { port: number }[];
          }[]
        ).find((r) => r.name === VM && r.state === "running" && (r.graphics[0]?.port ?? 0) > 0),
      60_000,
    );
    ({ hostId, uuid } = row);
    vncPort = row.graphics[0]!.port;
    await until("guest booted to its shell", () => guestReady(VM), 90_000, 250);
  }, 180_000);

  afterAll(async () => {
    if (process.env.HANGAR_TEST_LOGS) for (const s of cluster?.servers ?? []) console.log(s.logs());
    await cluster?.stop();
    undefineScratch(PREFIX);
    removeContainers();
    dropPool();
    fs.rmSync(poolDir, { recursive: true, force: true });
  });

  it("a VNC console opened on B reaches the guest on A's agent: RFB handshake and a frame with pixels; the ticket is then refused on A and on B", async () => {
    const t = await ticket(onA, hostId, uuid, { kind: "vnc" });
    expect(t.status, JSON.stringify(t.json)).toBe(200);
    const t0 = performance.now();
    const s = await RfbSession.open(await wsTransport(`${b.replace("http", "ws")}/ws/console`, t.json.protocols, { Origin: b, Cookie: onB.cookie }));
    const bytes = await s.frame();
    console.log(`[xstream] VNC through B: ticket redeemed → first full frame in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(s.width).toBeGreaterThan(0);
    expect(bytes).toBe(s.width * s.height * (s.bpp / 8));
    // The guest's text console is on screen: not a black frame.
    expect(s.litBytes).toBeGreaterThan(1000);
    s.close();
    for (const base of [a, b]) expect((await openConsole(base, onA.cookie, t.json.protocols)).status).toBe(401);
  });

  it("rights withdrawn close the console on B (the ticket's server), and the hop to A's agent with it", async () => {
    const password = "another long password";
    const created = await onA.req("POST", "/api/users", { username: "xops", password, role: "operator" });
    expect(created.status).toBe(201);
    const ops = new Client(b);
    expect((await ops.req("POST", "/api/auth/login", { username: "xops", password })).status).toBe(200);
    const t = await ticket(Object.assign(new Client(a), { cookie: ops.cookie }), hostId, uuid, { kind: "vnc" });
    expect(t.status).toBe(200);
    const c = await openConsole(b, ops.cookie, t.json.protocols);
    expect(c.status).toBe(101);
    expect((await c.first!).toString("latin1")).toMatch(/^RFB/);
    expect(vncConnections(vncPort)).toBe(1);
    const closed = closeOf(c.ws!);
    // Changed on A: B learns it from the database (the access generation) and closes.
    expect((await onA.req("PATCH", `/api/users/${created.json.user.id}`, { role: "viewer" })).status).toBe(200);
    expect(await closed).toEqual({ code: CONSOLE_CLOSE.permissionLost, reason: "your permission to this console was withdrawn" });
    await until("A's agent let go of the guest's VNC server", () => vncConnections(vncPort) === 0, 5_000);
  });

  it("the serial console through B shows the guest's output and takes input", async () => {
    const t = await ticket(onA, hostId, uuid, { kind: "serial" });
    const c = await openConsole(b, onB.cookie, t.json.protocols);
    expect(c.status).toBe(101);
    const out = collectText(c.ws!, "latin1");
    await new Promise((r) => setTimeout(r, 300));
    const word = `xstream-${Math.random().toString(36).slice(2, 8)}`;
    c.ws!.send(Buffer.from(`echo ${word} | tr a-z A-Z\n`));
    await until("guest's answer through B", () => out.text().includes(word.toUpperCase()), 20_000);
    const closed = closeOf(c.ws!);
    c.ws!.close();
    expect((await closed).code).toBe(1005);
  });

  it("a container's exec shell and live logs through B", async () => {
    const ct = await until("container listed on A", async () =>
      ((await onA.req("GET", "/api/containers")).json.rows as { id: string; name: string; state: string }[] | undefined)?.find(
        (r) => r.name === CT && r.state === "running",
      ),
    );
    const exec = await onA.req("POST", `/api/containers/${hostId}/${ct.id}/console`, { kind: "exec", cols: 100, rows: 30 });
    expect(exec.status, JSON.stringify(exec.json)).toBe(200);
    const sh = await openConsole(b, onB.cookie, exec.json.protocols);
    expect(sh.status).toBe(101);
    const shOut = collectText(sh.ws!);
    sh.ws!.send(Buffer.from("echo xstream-$((6*7)); stty size\n"));
    await until("exec output through B", () => shOut.text().includes("xstream-42"), 15_000);
    // The size the ticket carried reached the TTY on A's host, and so does a resize sent on B.
    await until("initial size", () => shOut.text().includes("30 100"), 5_000);
    sh.ws!.send(JSON.stringify({ type: "resize", cols: 120, rows: 40 }));
    await until(
      "resized TTY",
      () => {
        if (shOut.text().includes("40 120")) return true;
        sh.ws!.send(Buffer.from("stty size\n"));
        return false;
      },
      15_000,
      500,
    );
    sh.ws!.close();

    const logs = await onA.req("POST", `/api/containers/${hostId}/${ct.id}/console`, { kind: "logs" });
    const lg = await openConsole(b, onB.cookie, logs.json.protocols);
    expect(lg.status).toBe(101);
    const lgOut = collectText(lg.ws!);
    await until("followed line through B", () => lgOut.text().includes("hello-xstream"), 15_000);
    lg.ws!.close();
  });

  it("a volume uploaded through B lands in the pool of A's host with the right SHA-256", async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const r = await fetch(`${b}/api/hosts/${hostId}/pools/${POOL}/upload?name=via-b.raw`, {
      method: "POST",
      body: new Uint8Array(data),
      headers: { Origin: b, Cookie: onB.cookie, "X-Hangar-CSRF": "1", "Content-Type": "application/octet-stream" },
    });
    const json = (await r.json()) as { volume: { sha256: string; bytes: number; name: string }; task: { status: string; kind: string } };
    expect(r.status, JSON.stringify(json)).toBe(201);
    expect(json.volume).toMatchObject({ name: "via-b.raw", bytes: data.length, sha256: sha256(data) });
    expect(json.task).toMatchObject({ kind: "volume.upload", status: "succeeded" });
    expect(sha256(fs.readFileSync(path.join(poolDir, "via-b.raw")))).toBe(sha256(data));
    // A refusal made on A (the name exists) comes back through B as it was, naming the field.
    const dup = await fetch(`${b}/api/hosts/${hostId}/pools/${POOL}/upload?name=via-b.raw`, {
      method: "POST",
      body: new Uint8Array(data.subarray(0, 4096)),
      headers: { Origin: b, Cookie: onB.cookie, "X-Hangar-CSRF": "1", "Content-Type": "application/octet-stream" },
    });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty("name");
  });

  it("an /internal/ stream without the cluster secret is refused and never reaches the agent", async () => {
    const request = encodeStreamRequest({
      hostId,
      uuid,
      kind: "vnc",
      channel: randomBytes(16).toString("base64url"),
      userId: "u",
      user: "peer-test",
    });
    expect(vncConnections(vncPort)).toBe(0);
    for (const base of [a, b]) {
      expect((await internalStream(base, { [STREAM_REQUEST_HEADER]: request })).status).toBe(401);
      expect((await internalStream(base, { [CLUSTER_HEADER]: `${SECRET}x`, [STREAM_REQUEST_HEADER]: request })).status).toBe(401);
    }
    // Given a moment, the agent would have dialled QEMU's VNC server by now: it did not.
    await new Promise((r) => setTimeout(r, 500));
    expect(vncConnections(vncPort)).toBe(0);
    // With the secret, a bad request names its field; B, which does not hold the host, refuses to forward again.
    const bad = await internalStream(a, { [CLUSTER_HEADER]: SECRET, [STREAM_REQUEST_HEADER]: encodeStreamRequest({ hostId, uuid } as never) });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/kind/);
    expect((await internalStream(b, { [CLUSTER_HEADER]: SECRET, [STREAM_REQUEST_HEADER]: request })).status).toBe(503);
    // The control: the same request with the secret, on A, is answered 101 (the agent dialled).
    expect((await internalStream(a, { [CLUSTER_HEADER]: SECRET, [STREAM_REQUEST_HEADER]: request })).status).toBe(101);
  });

  it("the guest going away closes the console through B with the same code as on A", async () => {
    const onAConsole = await openConsole(a, onA.cookie, (await ticket(onA, hostId, uuid, { kind: "serial" })).json.protocols);
    const onBConsole = await openConsole(b, onB.cookie, (await ticket(onA, hostId, uuid, { kind: "serial" })).json.protocols);
    expect([onAConsole.status, onBConsole.status]).toEqual([101, 101]);
    const closedA = closeOf(onAConsole.ws!);
    const closedB = closeOf(onBConsole.ws!);
    await new Promise((r) => setTimeout(r, 300));
    virsh("destroy", VM);
    const [ca, cb] = await Promise.all([closedA, closedB]);
    expect(ca.code).toBe(CONSOLE_CLOSE.agentGone);
    expect(cb).toEqual(ca);
  });
});

labSuite(["postgres", "libvirt"], "console flow control and refusals through another server (libvirt test driver)", () => {
  const UUID = "00000000-0000-4000-8000-0000000f2000";
  // A VNC socket path that does not exist: the agent refuses, naming it.
  const NO_VNC_UUID = "00000000-0000-4000-8000-0000000f2001";
  const source = streamServer();
  const xml = path.join(os.tmpdir(), `${PREFIX}relay-${process.pid}.xml`);
  let cluster: Cluster;
  let a: string;
  let b: string;
  let onA: Client;
  let hostId = "";
  const relayOf = (i: number) =>
    Number(
      execFileSync("pgrep", ["-P", String(cluster.servers[i]!.proc.pid), "-f", "console-relay.js"], { encoding: "utf8" })
        .trim()
        .split("\n")[0],
    );
  const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

  beforeAll(async () => {
    const port = await freePort();
    await new Promise<void>((r) => source.server.listen(port, "127.0.0.1", r));
    fs.writeFileSync(
      xml,
      `<node><domain type='test'><name>${PREFIX}stream</name><uuid>${UUID}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices><graphics type='vnc' port='${port}' listen='127.0.0.1'/></devices></domain>` +
        `<domain type='test'><name>${PREFIX}no-vnc</name><uuid>${NO_VNC_UUID}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices><graphics type='vnc' socket='/nonexistent/${PREFIX}vnc'/></devices></domain></node>`,
    );
    cluster = await startCluster(2, { HANGAR_CLUSTER_SECRET: SECRET }, (i): Record<string, string> =>
      i === 0 ? { HANGAR_LOCAL_AGENT: "1", HANGAR_LIBVIRT_URI: `test://${xml}` } : {},
    );
    [a, b] = cluster.servers.map((s) => s.url) as [string, string];
    onA = cluster.admin;
    hostId = (
      await until("stream domain on A", async () => (await onA.req("GET", "/api/machines")).json.rows.find((r: { uuid: string }) => r.uuid === UUID))
    ).hostId;
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
    source.server.close();
    fs.rmSync(xml, { force: true });
  });

  it("a browser on B that stops reading pauses every hop back to the source; reading again gets every byte in order", async () => {
    const relays = [relayOf(0), relayOf(1)];
    const rss0 = relays.map(rssMiB);
    const c = await openConsole(b, onA.cookie, (await ticket(onA, hostId, UUID)).json.protocols);
    expect(c.status).toBe(101);
    const ws = c.ws!;
    const received: Buffer[] = [];
    let bytes = 0;
    ws.on("message", (d: Buffer) => {
      received.push(d);
      bytes += d.length;
    });
    await until("stream flowing through B", () => bytes > 4 * CHUNK, 10_000, 10);
    ws.pause();
    await new Promise((r) => setTimeout(r, 3000));
    const plateau = source.state.accepted;
    await new Promise((r) => setTimeout(r, 2000));
    const after = source.state.accepted;
    expect(after - plateau, "bytes accepted while the browser reads nothing").toBeLessThan(1024 * 1024);
    // Four loopback hops now (source → agent → A's relay → B's relay → browser), each
    // autotuned by the kernel up to tcp_rmem/tcp_wmem's maximum, plus the relays' marks.
    const kernelMax = (f: string) => Number(fs.readFileSync(`/proc/sys/net/ipv4/${f}`, "utf8").trim().split(/\s+/)[2]);
    expect(after - bytes, "bytes held between source and browser").toBeLessThan(
      4 * (kernelMax("tcp_rmem") + kernelMax("tcp_wmem")) + 8 * 1024 * 1024,
    );
    relays.forEach((pid, i) => expect(rssMiB(pid) - rss0[i]!, `relay RSS growth on ${"AB"[i]} (MiB)`).toBeLessThan(40));
    ws.resume();
    const target = after + 8 * 1024 * 1024;
    await until("stream flowing again", () => bytes >= target, 30_000, 10);
    ws.close();
    const all = Buffer.concat(received);
    expect(all.equals(pattern(0, all.length)), "every byte, in order").toBe(true);
  });

  it("every one of 50 consoles opened and closed through B gets the stream from its first byte", async () => {
    for (let i = 0; i < 50; i++) {
      const c = await openConsole(b, onA.cookie, (await ticket(onA, hostId, UUID)).json.protocols);
      expect(c.status).toBe(101);
      const first = await Promise.race([c.first!, new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
      expect(first, `console ${i}: first bytes`).not.toBeNull();
      expect(first!.subarray(0, 16).equals(pattern(0, 16)), `console ${i}: starts at byte 0`).toBe(true);
      const closed = closeOf(c.ws!);
      c.ws!.close();
      await closed;
    }
  });

  it("the agent's refusal closes the console on B with the code and reason it has on A", async () => {
    const closeWith = async (base: string) => {
      const c = await openConsole(base, onA.cookie, (await ticket(onA, hostId, NO_VNC_UUID)).json.protocols);
      expect(c.status).toBe(101);
      return closeOf(c.ws!);
    };
    const onAClose = await closeWith(a);
    expect(onAClose.code).toBe(CONSOLE_CLOSE.vmUnavailable);
    expect(onAClose.reason).toContain("cannot reach the VNC server");
    expect(await closeWith(b)).toEqual(onAClose);
  });
});
