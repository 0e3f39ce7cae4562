// Cron slots of a job in its own time zone (croner). A slot is the instant the cron names,
// kept as its ISO string: with the job and the VM it is the key a run is claimed under.
import { Cron } from "croner";

/** A cron expression croner accepts in `timeZone`, or the reason it does not. */
export function cronProblem(cron: string, timeZone: string): string | null {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    return `unknown time zone ${timeZone}`;
  }
  try {
    const c = new Cron(cron, { timezone: timeZone });
    if (!c.nextRun()) return "it never runs";
    return null;
  } catch (err) {
    return (err as Error).message.replace(/^CronPattern: /, "");
  }
}

/** The next `n` slots after `from`. */
export function nextSlots(cron: string, timeZone: string, n: number, from: Date): Date[] {
  return new Cron(cron, { timezone: timeZone }).nextRuns(n, from);
}

/** The latest slot at or before `now` and not before `since`, or null. */
export function latestSlot(cron: string, timeZone: string, now: Date, since: Date): Date | null {
  const c = new Cron(cron, { timezone: timeZone });
  // previousRuns is strictly before its reference: a slot exactly at `now` is due.
  const [prev] = c.previousRuns(1, new Date(now.getTime() + 1));
  return prev && prev.getTime() >= since.getTime() ? prev : null;
}

/** The slot's time for retention (a run-now slot is "manual-<iso>"). */
export function slotTime(slot: string): Date {
  return new Date(slot.replace(/^manual-/, ""));
}

/** The slot as a file or snapshot name: ":" is not allowed there. */
export function slotName(slot: string): string {
  return slot.replace(/:/g, "-");
}
