// Tests follow tasks, never timing. An action answers 200 when the agent finished within
// the server's inline wait and 202 when it is still running (completion then arrives as a
// task.upsert event); which one a test sees depends on how fast the guest is, so a test
// that wants the outcome must accept both and follow the task to its end.
import type { TaskRow } from "../../server/protocol";
import type { EventRecorder } from "./events";
import type { Client } from "./server";
import { until } from "./lab";

const FINAL = new Set(["succeeded", "failed"]);

export interface ActResult {
  /** The HTTP status of the POST: 200 or 202. */
  status: number;
  /** The body of the POST, as answered. */
  json: any;
  /** The task at its end: succeeded or failed ("unknown" is followed until reconciled). */
  task: TaskRow;
}

/**
 * Posts an action and returns its task once finished. 200 carries the finished task; for
 * 202 it waits for the task's final task.upsert on the recorder (counted from before the
 * POST, so an event that beats the response is not missed), or polls GET /api/tasks when
 * no recorder is at hand. Any other status throws with the server's answer: a test that
 * expects a refusal (409 and libvirt's reason) posts directly and checks it.
 */
export async function act(
  client: Client,
  path: string,
  body: unknown,
  opts: { recorder?: EventRecorder; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ActResult> {
  const mark = opts.recorder?.mark ?? 0;
  const r = await client.req("POST", path, body, opts.headers);
  if (r.status !== 200 && r.status !== 202) throw new Error(`POST ${path} ${JSON.stringify(body)} answered ${r.status}: ${JSON.stringify(r.json)}`);
  const task = r.json.task as TaskRow;
  if (r.status === 200 && FINAL.has(task.status)) return { status: r.status, json: r.json, task };
  return {
    status: r.status,
    json: r.json,
    task: await finalTask(client, task.id, { recorder: opts.recorder, from: mark, timeoutMs: opts.timeoutMs }),
  };
}

/** The task once it reached succeeded or failed: from the recorder's events, else from GET /api/tasks. */
export async function finalTask(
  client: Client,
  id: string,
  opts: { recorder?: EventRecorder; from?: number; timeoutMs?: number } = {},
): Promise<TaskRow> {
  const timeoutMs = opts.timeoutMs ?? 150_000;
  if (opts.recorder) {
    const e = await opts.recorder.waitFor(
      `task ${id} finished`,
      (x) => x.type === "task.upsert" && x.task.id === id && FINAL.has(x.task.status),
      opts.from ?? 0,
      timeoutMs,
    );
    if (e.type !== "task.upsert") throw new Error("unreachable");
    return e.task;
  }
  return until(
    `task ${id} finished`,
    async () => ((await client.req("GET", "/api/tasks?limit=1000")).json.tasks as TaskRow[]).find((t) => t.id === id && FINAL.has(t.status)),
    timeoutMs,
    200,
  );
}

/** Posts a machine action (see act). */
export function machineAction(
  client: Client,
  hostId: string,
  uuid: string,
  action: string,
  extra: Record<string, unknown> = {},
  opts: Parameters<typeof act>[3] = {},
): Promise<ActResult> {
  return act(client, `/api/machines/${hostId}/${uuid}/actions`, { action, ...extra }, opts);
}
