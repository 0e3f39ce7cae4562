// ISO and disk image upload into a storage pool through the whole stack: browser-like HTTP
// client → real server (dist/) → its local agent → libvirt's upload stream → a file in a
// real directory pool. Every refusal leaves nothing behind: no volume under the final name
// and no temporary `.upload-*` file (checked in libvirt's listing and in the directory).
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TaskRow } from "../../server/protocol";
import { EventRecorder } from "../helpers/events";
import { labSuite, until, virsh } from "../helpers/lab";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";

const MiB = 1024 * 1024;
const LIMIT = 8 * MiB;
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

labSuite("libvirt", "volume upload into a directory pool", () => {
  let srv: TestServer;
  let admin: Client;
  let rec: EventRecorder;
  let hostId = "";
  const pool = `hx-b-pool-${process.pid}`;
  // mkdtemp makes 0700; libvirt's dir pool wants to stat it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-b-"));
  fs.chmodSync(dir, 0o755);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "hx-b-src-"));

  const files = () => fs.readdirSync(dir).sort();
  const vols = () => {
    virsh("pool-refresh", pool);
    return virsh("vol-list", pool)
      .split("\n")
      .slice(2)
      .map((l) => l.trim().split(/\s+/)[0]!)
      .filter(Boolean)
      .sort();
  };
  const upload = (c: Client, name: string, body: Buffer, extra = "", headers: Record<string, string> = {}) =>
    fetch(`${srv.url}/api/hosts/${hostId}/pools/${pool}/upload?name=${encodeURIComponent(name)}${extra}`, {
      method: "POST",
      body: new Uint8Array(body),
      headers: { Origin: srv.url, Cookie: c.cookie, "X-Hangar-CSRF": "1", "Content-Type": "application/octet-stream", ...headers },
    });
  const answer = async (r: Response) => ({ status: r.status, json: (await r.json()) as any });

  beforeAll(async () => {
    virsh("pool-create-as", pool, "dir", "--target", dir);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_MAX_UPLOAD_BYTES: String(LIMIT) }));
    rec = await EventRecorder.open(srv.url, admin.cookie);
    const host = await until("local host online", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
    );
    hostId = host.id;
  }, 60_000);

  afterAll(async () => {
    rec?.close();
    if (process.env.HANGAR_TEST_LOGS) console.log(srv?.logs());
    await srv?.stop();
    try {
      virsh("pool-destroy", pool);
    } catch {
      /* not active */
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("uploads a qcow2 made by qemu-img: same bytes, SHA-256 answered, libvirt sees a qcow2, progress events", async () => {
    const src = path.join(work, "disk.qcow2");
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", src, "64M"]);
    const data = fs.readFileSync(src);
    const mark = rec.mark;
    const r = await answer(await upload(admin, "disk.qcow2", data));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.volume).toMatchObject({ pool, name: "disk.qcow2", format: "qcow2", bytes: data.length, sha256: sha256(data), replaced: false });
    expect(r.json.task).toMatchObject({ kind: "volume.upload", targetType: "volume", targetId: `${pool}/disk.qcow2`, status: "succeeded" });
    const onDisk = fs.readFileSync(path.join(dir, "disk.qcow2"));
    expect(sha256(onDisk)).toBe(sha256(data));
    expect(files()).toEqual(["disk.qcow2"]);
    expect(vols()).toEqual(["disk.qcow2"]);
    expect(virsh("vol-dumpxml", "--pool", pool, "disk.qcow2")).toMatch(/<format type='qcow2'\/>/);
    // The task's result keeps the hash; the last progress event says every byte went.
    const tasks = (await admin.req("GET", "/api/tasks")).json.tasks as TaskRow[];
    expect(tasks.find((t) => t.id === r.json.task.id)?.status).toBe("succeeded");
    const last = await rec.waitFor(
      "final progress",
      (e) => e.type === "task.progress" && e.taskId === r.json.task.id && e.done === data.length,
      mark,
    );
    expect(last).toMatchObject({ total: data.length });
  });

  it("uploads an ISO-ish image (CD001 at 0x8001) byte for byte, read back through libvirt", async () => {
    const data = randomBytes(3 * MiB + 4321);
    data.write("CD001", 0x8001, "latin1");
    const r = await answer(await upload(admin, "boot.iso", data));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.volume).toMatchObject({ format: "iso", sha256: sha256(data), bytes: data.length });
    const back = path.join(work, "back.iso");
    virsh("vol-download", "--pool", pool, "boot.iso", back);
    expect(sha256(fs.readFileSync(back))).toBe(sha256(data));
    expect(files()).toEqual(["boot.iso", "disk.qcow2"]);
  });

  it("refuses an existing name with 409 naming name, and replaces it with overwrite=1", async () => {
    const data = randomBytes(100_000);
    const dup = await answer(await upload(admin, "boot.iso", data));
    expect(dup.status, JSON.stringify(dup.json)).toBe(409);
    expect(dup.json.error.fields).toHaveProperty("name");
    expect(files()).toEqual(["boot.iso", "disk.qcow2"]);
    const again = await answer(await upload(admin, "boot.iso", data, "&overwrite=1"));
    expect(again.status, JSON.stringify(again.json)).toBe(201);
    expect(again.json.volume).toMatchObject({ replaced: true, format: "raw", sha256: sha256(data) });
    expect(sha256(fs.readFileSync(path.join(dir, "boot.iso")))).toBe(sha256(data));
    expect(files()).toEqual(["boot.iso", "disk.qcow2"]);
    expect(vols()).toEqual(["boot.iso", "disk.qcow2"]);
  });

  it("refuses names with path components, control characters, a leading dot or over 200 characters: 400 naming name", async () => {
    for (const name of ["../escape.iso", "a/b.iso", "a\\b.iso", "..", ".hidden.iso", "bad\u0001.iso", "x".repeat(201), ""]) {
      const r = await answer(await upload(admin, name, randomBytes(4096)));
      expect(r.status, `${JSON.stringify(name)}: ${JSON.stringify(r.json)}`).toBe(400);
      expect(r.json.error.fields).toHaveProperty("name");
    }
    expect(files()).toEqual(["boot.iso", "disk.qcow2"]);
    expect(fs.existsSync(path.join(path.dirname(dir), "escape.iso"))).toBe(false);
  });

  it("refuses an upload over HANGAR_MAX_UPLOAD_BYTES with 413 naming size, an unknown pool with 404, and keeps nothing", async () => {
    const big = await answer(await upload(admin, "big.raw", Buffer.alloc(LIMIT + 1)));
    expect(big.status, JSON.stringify(big.json)).toBe(413);
    expect(big.json.error.fields).toHaveProperty("size");
    const nopool = await fetch(`${srv.url}/api/hosts/${hostId}/pools/hx-b-nopool/upload?name=x.iso`, {
      method: "POST",
      body: new Uint8Array(1000),
      headers: { Origin: srv.url, Cookie: admin.cookie, "X-Hangar-CSRF": "1" },
    });
    expect(nopool.status).toBe(404);
    expect(((await nopool.json()) as any).error.fields).toHaveProperty("pool");
    expect(files()).toEqual(["boot.iso", "disk.qcow2"]);
    expect(vols()).toEqual(["boot.iso", "disk.qcow2"]);
  });

  it("an upload cut off midway fails its task and leaves no temporary volume and nothing under the final name", async () => {
    const size = 6 * MiB;
    const mark = rec.mark;
    const sock = net.connect(srv.port, "127.0.0.1");
    await new Promise<void>((r) => sock.once("connect", () => r()));
    sock.on("error", () => undefined);
    sock.write(
      `POST /api/hosts/${hostId}/pools/${pool}/upload?name=cut.raw HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nOrigin: ${srv.url}\r\n` +
        `Cookie: ${admin.cookie}\r\nX-Hangar-CSRF: 1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${size}\r\n\r\n`,
    );
    sock.write(randomBytes(size / 2));
    // The bytes are streaming into the temporary volume: the task runs and its file exists.
    const started = await rec.waitFor("upload task", (e) => e.type === "task.upsert" && e.task.targetId === `${pool}/cut.raw`, mark);
    await until("temporary file", () => files().some((f) => f.startsWith(".upload-") && f.endsWith("-cut.raw")));
    sock.destroy();
    if (started.type !== "task.upsert") throw new Error("unreachable");
    const end = await rec.waitFor(
      "upload task failed",
      (e) => e.type === "task.upsert" && e.task.id === started.task.id && e.task.status !== "running",
      mark,
    );
    expect(end.type === "task.upsert" && end.task.status).toBe("failed");
    await until("temporary file removed", () => !files().some((f) => f.startsWith(".upload-")));
    expect(files()).toEqual(["boot.iso", "disk.qcow2"]);
    expect(vols()).toEqual(["boot.iso", "disk.qcow2"]);
  });

  it("a failure on the host mid-upload (its temporary file removed behind Hangar's back) answers 500 and leaves nothing", async () => {
    const size = 4 * MiB;
    const sock = net.connect(srv.port, "127.0.0.1");
    await new Promise<void>((r) => sock.once("connect", () => r()));
    let reply = "";
    sock.on("data", (d: Buffer) => (reply += d.toString()));
    // Connection: close: the server ends the connection once its answer is out.
    const closed = new Promise<void>((r) => sock.once("close", () => r()));
    sock.write(
      `POST /api/hosts/${hostId}/pools/${pool}/upload?name=lost.raw HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nOrigin: ${srv.url}\r\n` +
        `Cookie: ${admin.cookie}\r\nX-Hangar-CSRF: 1\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`,
    );
    sock.write(randomBytes(size / 2));
    const tmp = await until("temporary file", () => files().find((f) => f.startsWith(".upload-") && f.endsWith("-lost.raw")));
    fs.rmSync(path.join(dir, tmp));
    sock.write(randomBytes(size / 2));
    await closed;
    expect(reply).toMatch(/^HTTP\/1\.1 500 /);
    expect(reply).toMatch(/could not write the volume/);
    expect(files()).toEqual(["boot.iso", "disk.qcow2"]);
    expect(vols()).toEqual(["boot.iso", "disk.qcow2"]);
  });

  it("removes a temporary file left over by an agent that died mid-upload, at the next upload into the pool", async () => {
    const stale = path.join(dir, ".upload-0123456789ab-dead.iso");
    fs.writeFileSync(stale, Buffer.alloc(4096));
    const old = new Date(Date.now() - 10 * 60_000);
    fs.utimesSync(stale, old, old);
    const r = await answer(await upload(admin, "next.raw", randomBytes(50_000)));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(files()).toEqual(["boot.iso", "disk.qcow2", "next.raw"]);
    expect(vols()).toEqual(["boot.iso", "disk.qcow2", "next.raw"]);
    fs.rmSync(path.join(dir, "next.raw"));
  });

  it("requires a Content-Length (a chunked body is refused with 400 naming size)", async () => {
    const r = await answer(
      await fetch(`${srv.url}/api/hosts/${hostId}/pools/${pool}/upload?name=chunked.raw`, {
        method: "POST",
        body: new ReadableStream({
          start(c) {
            c.enqueue(new Uint8Array(1000));
            c.close();
          },
        }),
        duplex: "half",
        headers: { Origin: srv.url, Cookie: admin.cookie, "X-Hangar-CSRF": "1" },
      } as RequestInit),
    );
    expect(r.status, JSON.stringify(r.json)).toBe(400);
    expect(r.json.error.fields).toHaveProperty("size");
    expect(files()).toEqual(["boot.iso", "disk.qcow2"]);
  });

  it("viewers and operators cannot upload (403), and nothing is created", async () => {
    for (const [username, role] of [
      ["vic", "viewer"],
      ["olga", "operator"],
    ] as const) {
      expect((await admin.req("POST", "/api/users", { username, password: "a long enough password", role })).status).toBe(201);
      const c = new Client(srv.url);
      expect((await c.req("POST", "/api/auth/login", { username, password: "a long enough password" })).status).toBe(200);
      const r = await upload(c, `${role}.iso`, randomBytes(4096));
      expect(r.status).toBe(403);
    }
    expect(files()).toEqual(["boot.iso", "disk.qcow2"]);
  });
});
