// An import's progress and cancel (and a volume clone's progress) through the whole stack, on the real libvirtd and Debian's
// qemu-img: the agent forwards qemu-img's percentage as progress frames of its running call,
// the server turns them into the task's task.progress events; cancelling the task kills
// qemu-img on the host and leaves no partial file, no volume and no VM. qemu-img is the real
// one, rate-limited by its own -r option (a wrapper the agent finds through HANGAR_QEMU_IMG),
// so a conversion of a few MiB lasts long enough to be watched and stopped.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BrowserEvent } from "../../server/protocol/browser-events";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { labSuite, until, virsh } from "../helpers/lab";
import { EventRecorder } from "../helpers/events";
import { act, finalTask } from "../helpers/tasks";

labSuite("libvirt", "import progress and cancel", () => {
  let srv: TestServer;
  let admin: Client;
  let hostId: string;
  let ev: EventRecorder;
  const pool = `hx-prov-imp-${process.pid}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-prov-import-"));
  fs.chmodSync(dir, 0o755);
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "hx-prov-bin-"));
  const wrapper = path.join(bin, "qemu-img");
  // Every conversion at about 16 MiB/s: 48 MiB of data take ~3 s, 256 MiB ~16 s.
  fs.writeFileSync(wrapper, `#!/bin/sh\nif [ "$1" = convert ]; then shift; exec qemu-img convert -r 16M "$@"; fi\nexec qemu-img "$@"\n`, {
    mode: 0o755,
  });

  const vols = () =>
    virsh("vol-list", pool)
      .split("\n")
      .slice(2)
      .map((l) => l.trim().split(/\s+/)[0] ?? "")
      .filter(Boolean)
      .sort();
  /** qemu-img processes writing into our pool's directory. */
  const converting = () => {
    try {
      return execFileSync("pgrep", ["-f", `convert .*${dir}`], { encoding: "utf8" }).trim();
    } catch {
      return "";
    }
  };
  const progressOf = (taskId: string, from = 0) =>
    ev.events
      .slice(from)
      .filter(
        (e): e is Extract<BrowserEvent, { type: "task.progress" }> & { receivedAt: number } => e.type === "task.progress" && e.taskId === taskId,
      );
  const startImport = async (sourceVolume: string, name: string) => {
    const r = await admin.req("POST", `/api/machines/${hostId}/import`, { sourcePool: pool, sourceVolume, targetPool: pool, name });
    expect(r.status, JSON.stringify(r.json)).toBe(202);
    return r.json.task.id as string;
  };

  beforeAll(async () => {
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_QEMU_IMG: wrapper }));
    const host = await until("local host online", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find(
        (h: { status: string; libvirtConnected: boolean }) => h.status === "online" && h.libvirtConnected,
      ),
    );
    hostId = host.id;
    expect((await act(admin, `/api/hosts/${hostId}/pools`, { name: pool, path: dir })).task.status).toBe("succeeded");
    expect((await act(admin, `/api/hosts/${hostId}/pools/${pool}/actions`, { action: "start" })).task.status).toBe("succeeded");
    for (const [file, size] of [
      ["small.vmdk", 48],
      ["big.vmdk", 256],
    ] as const) {
      execFileSync("qemu-img", ["create", "-q", "-f", "vmdk", path.join(dir, file), `${size}M`]);
      // Data everywhere: qemu-img skips zeroes, so an empty disk would convert at once.
      execFileSync("qemu-io", ["-f", "vmdk", "-c", `write -P 0x5a 0 ${size}M`, path.join(dir, file)]);
    }
    virsh("pool-refresh", pool);
    ev = await EventRecorder.open(srv.url, admin.cookie);
  }, 120_000);

  afterAll(async () => {
    ev?.close();
    await srv?.stop();
    for (const d of ["hx-prov-progress", "hx-prov-cancelled"])
      try {
        virsh("undefine", d);
      } catch {
        /* not defined */
      }
    for (const a of [
      ["pool-destroy", pool],
      ["pool-undefine", pool],
    ])
      try {
        virsh(...a);
      } catch {
        /* gone */
      }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(bin, { recursive: true, force: true });
  });

  it("a running import reports qemu-img's progress as task.progress events, rising to 100", async () => {
    const mark = ev.mark;
    const taskId = await startImport("small.vmdk", "hx-prov-progress");
    const task = await finalTask(admin, taskId, { recorder: ev, from: mark, timeoutMs: 60_000 });
    expect(task, task.error ?? "").toMatchObject({ kind: "vm.import", status: "succeeded" });
    const seen = progressOf(taskId, mark);
    // ~3 s of conversion at most every 250 ms: several reports, in order, the last one 100 of 100.
    expect(seen.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(4);
    expect(seen.every((e) => e.total === 100)).toBe(true);
    const done = seen.map((e) => e.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.at(-1)).toBe(100);
    expect(done.some((d) => d > 0 && d < 100)).toBe(true);
    // Throttled: never two reports of one call within ~250 ms (the last one excepted).
    const gaps = seen.slice(1, -1).map((e, i) => e.receivedAt - seen[i]!.receivedAt);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150);
    expect(vols()).toContain("hx-prov-progress.qcow2");
  });

  it("cancel kills qemu-img and leaves no partial file, no volume and no VM; the task ends failed, naming who cancelled", async () => {
    const volsBefore = vols();
    const mark = ev.mark;
    const taskId = await startImport("big.vmdk", "hx-prov-cancelled");
    await until("conversion under way", () => progressOf(taskId, mark).some((e) => e.done > 0), 30_000, 50);
    expect(converting()).not.toBe("");
    expect(fs.readdirSync(dir).some((f) => f.startsWith(".hangar-import-"))).toBe(true);
    const t0 = Date.now();
    const c = await admin.req("POST", `/api/tasks/${taskId}/cancel`);
    expect(c.status, JSON.stringify(c.json)).toBe(202);
    const task = await finalTask(admin, taskId, { recorder: ev, from: mark, timeoutMs: 30_000 });
    console.log(`import cancelled: task ended ${Date.now() - t0} ms after the cancel`);
    expect(task.status).toBe("failed");
    expect(task.error).toMatch(/^Cancelled by admin: /);
    // Far from the ~16 s the conversion would have taken.
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(converting()).toBe("");
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(".hangar-import-") || f.startsWith("hx-prov-cancelled"))).toEqual([]);
    virsh("pool-refresh", pool);
    expect(vols()).toEqual(volsBefore);
    expect(virsh("list", "--all", "--name")).not.toContain("hx-prov-cancelled");
    // A second cancel, or one of a finished task: 409 naming the task; an unknown one 404.
    const again = await admin.req("POST", `/api/tasks/${taskId}/cancel`);
    expect(again.status, JSON.stringify(again.json)).toBe(409);
    expect(again.json.error.fields).toHaveProperty("task");
    expect((await admin.req("POST", `/api/tasks/no-such-task/cancel`)).status).toBe(404);
    // The audit trail names the cancel.
    const audit = await admin.req("GET", "/api/audit?action=task.cancel");
    expect(JSON.stringify(audit.json)).toContain(taskId);
  }, 90_000);

  it("a volume clone reports the copy's bytes as task.progress, ending at the source's allocation", async () => {
    const src = (await admin.req("GET", `/api/hosts/${hostId}/pools/${pool}/volumes`)).json.volumes.find(
      (v: { name: string }) => v.name === "big.vmdk",
    );
    const mark = ev.mark;
    const r = await act(
      admin,
      `/api/hosts/${hostId}/pools/${pool}/volumes/big.vmdk/actions`,
      { action: "clone", newName: "big-copy.raw" },
      { recorder: ev, timeoutMs: 120_000 },
    );
    expect(r.task, r.task.error ?? "").toMatchObject({ kind: "volume.clone", status: "succeeded" });
    const seen = progressOf(r.task.id, mark);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.every((e) => e.total === src.allocation)).toBe(true);
    expect(seen.at(-1)!.done).toBe(src.allocation);
    console.log(`clone of ${src.allocation} bytes: ${seen.length} progress reports`);
    expect(vols()).toContain("big-copy.raw");
  }, 150_000);

  it("a task that cannot be cancelled (a pool action) is a 409; a viewer may not cancel (403)", async () => {
    const r = await act(admin, `/api/hosts/${hostId}/pools/${pool}/actions`, { action: "refresh" });
    const c = await admin.req("POST", `/api/tasks/${r.task.id}/cancel`);
    expect(c.status, JSON.stringify(c.json)).toBe(409);
    expect((await admin.req("POST", "/api/users", { username: "vic", password: "a long enough password", role: "viewer" })).status).toBe(201);
    const viewer = new Client(srv.url);
    expect((await viewer.req("POST", "/api/auth/login", { username: "vic", password: "a long enough password" })).status).toBe(200);
    expect((await viewer.req("POST", `/api/tasks/${r.task.id}/cancel`)).status).toBe(403);
  });
});
