// Containers through Hangar against a real Podman (Docker Engine API) with a local busybox
// image: create with env and a port, exec, logs (tail and live), stop, remove; engine
// events arrive by push (including changes made with the podman CLI behind Hangar's back);
// bad input gets a clear 4xx with the engine's reason and leaves nothing half-created.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort, startWithAdmin, type Client, type TestServer } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { collectText, openConsole } from "../helpers/console";
import { labSuite, until } from "../helpers/lab";
import { CONTAINER_METRICS } from "../../server/protocol/metrics";

const SOCKET = process.env.HANGAR_PODMAN_SOCKET ?? "";
const IMAGE = "localhost/hangar-busybox:latest";
const TAR = `${process.env.HANGAR_LAB_DIR ?? "/var/lib/hangar-lab"}/images/hangar-busybox.tar`;
const podman = (...a: string[]) => execFileSync("podman", a, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const cleanup = () => {
  for (const n of podman("ps", "-a", "--format", "{{.Names}}")
    .split("\n")
    .filter((x) => x.startsWith("hangar-it-")))
    podman("rm", "-f", "-t", "0", n);
  for (const img of ["localhost/hangar-it-upload:1", "localhost/hangar-it-huge:1"]) {
    try {
      podman("rmi", "-f", img);
    } catch {
      /* not there */
    }
  }
};

labSuite("podman", "containers on a real Podman", () => {
  let srv: TestServer;
  let admin: Client;
  let rec: EventRecorder;
  let hostId = "";
  let id = "";
  let port = 0;

  beforeAll(async () => {
    cleanup();
    ({ srv, admin } = await startWithAdmin({
      HANGAR_LOCAL_AGENT: "1",
      HANGAR_CONTAINER_SOCKET: SOCKET,
      HANGAR_MAX_IMAGE_BYTES: String(8 * 1024 * 1024),
    }));
    rec = await EventRecorder.open(srv.url, admin.cookie);
    const host = await until(
      "engine reported",
      async () => (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { engine: { kind: string } | null }) => h.engine?.kind === "podman"),
      30_000,
    );
    hostId = host.id;
    port = await freePort();
  });

  afterAll(async () => {
    rec?.close();
    if (process.env.HANGAR_TEST_LOGS) console.log(srv?.logs());
    await srv?.stop();
    cleanup();
  });

  it("creates a container with env and a port; its row arrives by push", async () => {
    const m = rec.mark;
    const r = await admin.req("POST", `/api/containers/${hostId}`, {
      name: "hangar-it-web",
      image: IMAGE,
      cmd: ["sh", "-c", "trap 'exit 0' TERM; echo hello-$GREETING; while :; do sleep 1; done"],
      env: ["GREETING=world"],
      ports: [{ hostPort: port, containerPort: 80 }],
      restartPolicy: "no",
    });
    expect(r.status).toBe(201);
    expect(r.json.container).toMatchObject({
      name: "hangar-it-web",
      state: "running",
      ports: [expect.objectContaining({ privatePort: 80, publicPort: port })],
    });
    id = r.json.container.id;
    await rec.waitFor("pushed upsert", (e) => e.type === "container.upsert" && e.container.id === id && e.container.state === "running", m);
    const inspect = (await admin.req("GET", `/api/containers/${hostId}/${id}`)).json.inspect;
    expect(inspect.Config.Env).toContain("GREETING=world");
  });

  it("runs a command in an exec shell and shows its output", async () => {
    const t = await admin.req("POST", `/api/containers/${hostId}/${id}/console`, { kind: "exec", cols: 100, rows: 30 });
    expect(t.status).toBe(200);
    const c = await openConsole(srv.url, admin.cookie, t.json.protocols);
    expect(c.status).toBe(101);
    const out = collectText(c.ws!);
    c.ws!.send(Buffer.from("echo hangar-$((6*7)); stty size\n"));
    await until("exec output", () => out.text().includes("hangar-42"), 15_000);
    // A resize control message reaches the TTY.
    c.ws!.send(JSON.stringify({ type: "resize", cols: 120, rows: 40 }));
    await until(
      "resized TTY",
      () => {
        if (out.text().includes("40 120")) return true;
        c.ws!.send(Buffer.from("stty size\n"));
        return false;
      },
      15_000,
      500,
    );
    c.ws!.close();
  });

  it("streams its CPU and memory in the same metric shape as machines", async () => {
    const series = `ct/${hostId}/${id}`;
    const m = rec.mark;
    rec.ws.send(JSON.stringify({ type: "metrics.subscribe", series: [series] }));
    const s = await until(
      "container sample with a CPU rate",
      () => rec.events.slice(m).flatMap((e) => (e.type === "metrics" ? e.samples.filter((x) => x.series === series && x.v[0] !== null) : []))[0],
      15_000,
    );
    const cpus = s.v[CONTAINER_METRICS.indexOf("cpus")]!;
    expect(cpus).toBeGreaterThan(0);
    expect(s.v[CONTAINER_METRICS.indexOf("mem.used")]).toBeGreaterThan(0);
    expect(s.v[0]).toBeGreaterThanOrEqual(0);
    rec.ws.send(JSON.stringify({ type: "metrics.unsubscribe", series: [series] }));
  });

  it("reads logs, as text and as a live follow", async () => {
    const tail = await admin.req("GET", `/api/containers/${hostId}/${id}/logs?tail=50`);
    expect(tail.status).toBe(200);
    expect(tail.json).toContain("hello-world");
    const t = await admin.req("POST", `/api/containers/${hostId}/${id}/console`, { kind: "logs" });
    const c = await openConsole(srv.url, admin.cookie, t.json.protocols);
    const out = collectText(c.ws!);
    await until("followed line", () => /^1 \S+ hello-world$/m.test(out.text()), 15_000);
    c.ws!.close();
  });

  it("stops and removes it, with the changes pushed", async () => {
    let m = rec.mark;
    const stop = await admin.req("POST", `/api/containers/${hostId}/${id}/actions`, { action: "stop" });
    expect([200, 202]).toContain(stop.status);
    await rec.waitFor("exited by push", (e) => e.type === "container.upsert" && e.container.id === id && e.container.state === "exited", m, 30_000);
    m = rec.mark;
    const del = await admin.req("DELETE", `/api/containers/${hostId}/${id}`);
    expect(del.status).toBe(200);
    await rec.waitFor("removed by push", (e) => e.type === "container.remove" && e.id === id, m);
    expect((await admin.req("GET", `/api/containers/${hostId}/${id}`)).status).toBe(404);
  });

  it("shows containers started from the command line, by push", async () => {
    const m = rec.mark;
    const cid = podman("run", "-d", "--name", "hangar-it-cli", IMAGE, "sleep", "300");
    const e = await rec.waitFor(
      "cli container",
      (x) => x.type === "container.upsert" && x.container.name === "hangar-it-cli" && x.container.state === "running",
      m,
      15_000,
    );
    expect(e.type === "container.upsert" && cid.startsWith(e.container.id.slice(0, 12))).toBe(true);
    podman("rm", "-f", "-t", "0", "hangar-it-cli");
    await rec.waitFor(
      "cli container gone",
      (x) => x.type === "container.remove" && x.id === (e.type === "container.upsert" ? e.container.id : ""),
      m,
      15_000,
    );
  });

  it("refuses bad input with the field or the engine's reason, leaving nothing behind", async () => {
    const create = (body: Record<string, unknown>) =>
      admin.req("POST", `/api/containers/${hostId}`, { image: IMAGE, cmd: ["sleep", "300"], ...body });
    const badName = await create({ name: "bad name!" });
    expect(badName.status).toBe(422);
    expect(badName.json.error.fields).toHaveProperty("name");
    expect((await create({ env: ["1BAD=x"] })).json.error.fields).toHaveProperty("env.0");
    expect((await create({ ports: [{ hostPort: 70000, containerPort: 80 }] })).json.error.fields).toHaveProperty("ports.0.hostPort");

    const unknown = await create({ name: "hangar-it-noimage", image: "localhost/no-such-image:404" });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toMatch(/no-such-image/i);

    const first = await create({ name: "hangar-it-port-a", ports: [{ hostPort: port, containerPort: 80 }] });
    expect(first.status).toBe(201);
    const clash = await create({ name: "hangar-it-port-b", ports: [{ hostPort: port, containerPort: 80 }] });
    if (clash.status !== 409) throw new Error(`clash: ${clash.status} ${JSON.stringify(clash.json)}`);
    expect(clash.json.error.message).toMatch(/address already in use|port/i);
    const dup = await create({ name: "hangar-it-port-a" });
    expect(dup.status).toBe(409);
    const names = podman("ps", "-a", "--format", "{{.Names}}").split("\n");
    expect(names).toContain("hangar-it-port-a");
    expect(names).not.toContain("hangar-it-port-b");
    expect(names).not.toContain("hangar-it-noimage");
  });

  it("imports an uploaded tar, refuses non-tar and oversized uploads, removes the image", async () => {
    const upload = (body: Buffer, q: string, headers: Record<string, string> = {}) =>
      fetch(`${srv.url}/api/hosts/${hostId}/images?${q}`, {
        method: "POST",
        body: new Uint8Array(body),
        headers: { Origin: srv.url, Cookie: admin.cookie, "X-Hangar-CSRF": "1", "Content-Type": "application/x-tar", ...headers },
      });
    const notTar = await upload(Buffer.alloc(4096, 65), "mode=import&name=localhost/hangar-it-upload:1");
    expect(notTar.status).toBe(422);
    expect(((await notTar.json()) as { error: { message: string } }).error.message).toContain("not a tar");
    const noName = await upload(fs.readFileSync(TAR), "mode=import");
    expect(noName.status).toBe(422);
    // Over the limit (8 MiB here): a valid tar header, then more bytes than allowed. The
    // upload is cut off, the engine gets a truncated archive and keeps nothing.
    const big = Buffer.concat([fs.readFileSync(TAR), Buffer.alloc(7 * 1024 * 1024)]);
    const huge = await upload(big, "mode=import&name=localhost/hangar-it-huge:1");
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty("body");
    const ok = await upload(fs.readFileSync(TAR), "mode=import&name=localhost/hangar-it-upload:1");
    const body = (await ok.json()) as { images: string[] };
    expect(ok.status).toBe(201);
    expect(body.images).toContain("localhost/hangar-it-upload:1");
    const images = (await admin.req("GET", `/api/hosts/${hostId}/images`)).json.images as { id: string; tags: string[] }[];
    const img = images.find((i) => i.tags.includes("localhost/hangar-it-upload:1"));
    expect(img, JSON.stringify(images)).toBeTruthy();
    expect(images.some((i) => i.tags.some((t) => t.includes("hangar-it-huge")))).toBe(false);
    expect((await admin.req("DELETE", `/api/hosts/${hostId}/images/${img!.id}`)).status).toBe(200);
    const pull = await admin.req("POST", `/api/hosts/${hostId}/images/pull`, { ref: "registry.invalid/nothing:1" });
    expect(pull.status).toBeGreaterThanOrEqual(400);
    expect(pull.json.error.message).toMatch(/registry\.invalid|pull/i);
  });
});
