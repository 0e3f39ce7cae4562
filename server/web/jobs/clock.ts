// The scheduler's "now". Tests (and a dry run of a new schedule) move it with
// HANGAR_JOBS_CLOCK_FILE: a file holding an offset in milliseconds added to the real clock,
// re-read at each tick. Unset (production), it is the real clock; the file can only move
// time for this server's jobs, nothing else (sessions, tasks, tokens keep the real clock).
import fs from "node:fs";

export type Clock = () => Date;

export function jobsClock(file: string | undefined): Clock {
  if (!file) return () => new Date();
  console.warn(`[jobs] HANGAR_JOBS_CLOCK_FILE is set: job slots follow the offset in ${file}`);
  return () => {
    let offset = 0;
    try {
      const n = Number(fs.readFileSync(file, "utf8").trim());
      if (Number.isFinite(n)) offset = n;
    } catch {
      /* no file yet: the real clock */
    }
    return new Date(Date.now() + offset);
  };
}
