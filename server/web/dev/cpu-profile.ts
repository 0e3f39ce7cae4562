// HANGAR_CPU_PROFILE=/path.cpuprofile: profiles the whole server process and writes the
// profile at shutdown (for benchmarks; NODE_OPTIONS may not carry --cpu-prof).
import fs from "node:fs";
import { Session } from "node:inspector";

export function startCpuProfile(file: string | undefined): (() => Promise<void>) | null {
  if (!file) return null;
  const session = new Session();
  session.connect();
  session.post("Profiler.enable", () => session.post("Profiler.start"));
  return () =>
    new Promise((resolve) =>
      session.post("Profiler.stop", (err, res) => {
        if (!err) fs.writeFileSync(file, JSON.stringify(res.profile));
        resolve();
      }),
    );
}
