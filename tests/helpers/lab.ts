// Access to the real lab: virsh for arranging and checking state behind Hangar's back,
// the guests' serial logs, and the guard every real-service suite is declared with.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "vitest";
import { labMissing, labRequired, labRequiredError, type LabPart } from "./lab-env";
import type { Client } from "./server";

export const LAB_DIR = process.env.HANGAR_LAB_DIR ?? "/var/lib/hangar-lab";

/**
 * describe() for a suite that needs part of the real lab. With the part present it is a
 * plain describe. Missing and required (CI, HANGAR_REQUIRE_LAB=1): one failing test that
 * names the missing variable stands in for the suite, so a run that exercised nothing
 * cannot pass. Missing and optional: the suite's tests are reported as skipped.
 */
export function labSuite(parts: LabPart | LabPart[], name: string, fn: () => void): void {
  const part = [parts].flat().find((p) => labMissing(p) !== null);
  if (part === undefined) describe(name, fn);
  else if (labRequired()) {
    describe(name, () => {
      it(`lab required: ${labMissing(part)}`, () => {
        throw labRequiredError(part);
      });
    });
  } else describe.skip(name, fn);
}

export function virsh(...args: string[]): string {
  return execFileSync("virsh", ["-c", "qemu:///system", ...args], { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export function domState(name: string): string {
  return virsh("domstate", name).split("\n")[0]!;
}

/** Force a guest off (ignoring "not running"), so each test starts from a known state. */
export function ensureOff(name: string): void {
  try {
    virsh("destroy", name);
  } catch {
    /* already off */
  }
}

/** How many times libvirt has started the guest: one "starting up" line per start in its QEMU log. */
export function startCount(name: string): number {
  const f = `/var/log/libvirt/qemu/${name}.log`;
  return fs.existsSync(f) ? (fs.readFileSync(f, "utf8").match(/^\S+ \S+: starting up /gm)?.length ?? 0) : 0;
}

export function serialLog(name: string): string {
  const f = path.join(LAB_DIR, "logs", `${name}.serial.log`);
  return fs.existsSync(f) ? fs.readFileSync(f, "latin1") : "";
}

export async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 30_000, everyMs = 100): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function restartLibvirtd(): void {
  execFileSync("bash", [path.resolve(import.meta.dirname, "..", "..", "scripts", "lab", "libvirt-restart.sh")], { stdio: "ignore", timeout: 90_000 });
}

/** The guest finished its latest boot: a shell prompt follows the last boot banner. */
export function guestReady(name: string): boolean {
  const log = serialLog(name);
  const banner = log.lastIndexOf("hangar-guest booted");
  return banner >= 0 && log.indexOf("hangar-guest:", banner) > banner;
}

const HANGAR_STATE = { shutoff: "shutoff", "running-ready": "running" } as const;

/**
 * Brings a shared guest to a known state whatever the previous test (or file) left: first
 * waits until Hangar runs no task for it (a test must not inherit another's task), then
 * arranges the state with virsh, and for "running-ready" waits for the guest's shell
 * (ACPI and the serial console need a finished boot). With a client, it also waits until
 * Hangar's inventory shows that state, so events of this arrangement are already behind
 * the test's event mark.
 */
export async function guestTo(name: string, want: "shutoff" | "running-ready", client?: Client): Promise<void> {
  if (client) await untilNoTaskRunning(client, name);
  const state = domState(name);
  if (want === "shutoff") {
    if (state !== "shut off") ensureOff(name);
    await until(`${name} shut off`, () => domState(name) === "shut off", 30_000, 100);
  } else {
    const booting = state === "running" && !guestReady(name);
    // A guest still booting (after a reboot or a fresh start) finishes on its own.
    if (booting) await until(`${name} boot finishes`, () => guestReady(name), 90_000, 250).catch(() => ensureOff(name));
    if (domState(name) !== "running") {
      ensureOff(name);
      virsh("start", name);
    }
    await until(`${name} shell prompt on serial`, () => guestReady(name), 90_000, 250);
  }
  if (client) {
    await until(
      `Hangar shows ${name} ${HANGAR_STATE[want]}`,
      async () => {
        const rows = ((await client.req("GET", "/api/machines")).json?.rows ?? []) as { name: string; state: string; stale: boolean }[];
        const mine = rows.filter((r) => r.name === name);
        return mine.length > 0 && mine.every((r) => r.state === HANGAR_STATE[want] && !r.stale);
      },
      30_000,
      100,
    );
  }
}

/** Waits until Hangar has no queued or running task for the named machine; names the task otherwise. */
export async function untilNoTaskRunning(client: Client, targetName: string, timeoutMs = 150_000): Promise<void> {
  let last = "";
  try {
    await until(
      `no running task for ${targetName}`,
      async () => {
        const tasks = ((await client.req("GET", "/api/tasks?limit=1000")).json?.tasks ?? []) as {
          id: string;
          kind: string;
          status: string;
          targetName: string;
        }[];
        const busy = tasks.find((t) => t.targetName === targetName && (t.status === "running" || t.status === "queued"));
        last = busy ? `${busy.id} (${busy.kind}, ${busy.status})` : "";
        return !busy;
      },
      timeoutMs,
      200,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}: task ${last} never finished`);
  }
}
