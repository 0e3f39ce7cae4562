// Enrolls a real agent for this machine the way an admin would: add the host, run the
// command Hangar shows. Returns the host id and the agent process.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { APIRequestContext, Browser } from "@playwright/test";
import { signIn } from "./session";

export async function enrollAgent(
  request: APIRequestContext,
  name: string,
  /** Agent settings of this host (e.g. HANGAR_LIBVIRT_SOCKET of another libvirtd). */
  env: Record<string, string> = {},
): Promise<{ hostId: string; agent: ChildProcess; cleanup: () => void }> {
  const base = process.env.HANGAR_E2E_URL!;
  const r = await request.post(`${base}/api/hosts`, { data: { name }, headers: { "X-Hangar-CSRF": "1", Origin: base } });
  if (r.status() !== 201) throw new Error(`add host: ${r.status()} ${await r.text()}`);
  const { host, command } = (await r.json()) as { host: { id: string }; command: string };
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "hangar-e2e-agent-"));
  const agent = spawn("bash", ["-c", command], {
    env: { ...process.env, ...env, HANGAR_AGENT_STATE: stateDir },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  return {
    hostId: host.id,
    agent,
    cleanup: () => {
      // The command is `curl … && node …` under bash: signal the whole process group.
      if (agent.pid) process.kill(-agent.pid, "SIGTERM");
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * Removes a spec's host once its agent has stopped: the specs that follow expect the lab's
 * VMs on one online host, and an offline host keeps its last rows (shown stale) otherwise.
 */
export async function removeHost(browser: Browser, hostId: string): Promise<void> {
  if (!hostId) return;
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page);
  const base = process.env.HANGAR_E2E_URL!;
  await page.request.delete(`${base}/api/hosts/${encodeURIComponent(hostId)}`, { headers: { "X-Hangar-CSRF": "1", Origin: base } });
  await ctx.close();
}
