// The embedded default: the server runs one agent for the machine it is on, enrolled
// automatically (credential rotated each start, handed over in the environment). The agent
// is the same deployable bundle as on remote hosts and talks to us over /ws/agent like them.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "../db/client";
import { ensureLocalHost } from "./hosts";

export interface LocalAgent {
  stop(): Promise<void>;
}

export async function startLocalAgent(db: Db, opts: { serverUrl: string; root: string; env?: Record<string, string> }): Promise<LocalAgent> {
  const bundle = path.join(opts.root, "dist", "agent.mjs");
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\``);
  const { host, credential } = await ensureLocalHost(db, os.hostname());
  let child: ChildProcess | null = null;
  let stopping = false;
  let delay = 1000;

  const launch = () => {
    const startedAt = Date.now();
    child = spawn(process.execPath, [bundle, "--server", opts.serverUrl], {
      env: { ...process.env, ...opts.env, HANGAR_AGENT_CREDENTIAL: credential },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("exit", (code, signal) => {
      child = null;
      if (stopping) return;
      // Restart with backoff; a run that lasted a minute resets the backoff.
      if (Date.now() - startedAt > 60_000) delay = 1000;
      console.warn(`[hangar] local agent exited (${signal ?? code}); restarting in ${delay} ms`);
      setTimeout(launch, delay).unref();
      delay = Math.min(delay * 2, 30_000);
    });
  };
  launch();
  console.log(`[hangar] local agent started for host ${host.name}`);

  return {
    async stop() {
      stopping = true;
      const c = child as ChildProcess | null;
      if (!c) return;
      const exited = new Promise<void>((r) => c.once("exit", () => r()));
      c.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (c.exitCode === null) c.kill("SIGKILL");
    },
  };
}
