// The answering side of the one hop between servers (decision 0005), plain HTTP on each
// server's internal URL under /internal/, refused without the cluster secret before any
// body is read (401 no header, 403 a wrong one or none configured here):
//   GET  /internal/inventory[?hosts=a,b]  the hosts whose agents are connected here
//   POST /internal/agent-call             one call on this server's hub, NDJSON answer
//   POST /internal/agent-cancel           cancel a call /internal/agent-call is running
//   POST /internal/metrics-watch          a peer's metric demand, samples streamed back
//   POST /internal/task-cancel            cancel a task this server runs (asked on another)
// A server answering here runs only its own agents' calls: it never forwards again, so a
// request crosses at most one hop. Internal websockets are another module's.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { AgentTarget, ERROR_CODES, Methods, type MethodName, type RpcError } from "../../protocol";
import { isAgentCallError } from "../agents/agent-connection";
import type { AgentHub } from "../agents/hub";
import type { TaskService } from "../tasks/task-service";
import { CLUSTER_HEADER, INTERNAL_PREFIX, isClusterRequest } from "./internal-auth";
import type { CallLine, InventoryAnswer, SampleLine } from "./peer-calls";

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_TIMEOUT_MS = 24 * 3600_000;

const CallBody = z.strictObject({
  callId: z.string().min(8).max(64),
  hostId: z.string().min(1).max(64),
  method: z.string().refine((m) => Object.hasOwn(Methods, m), "unknown method"),
  params: z.unknown(),
  timeoutMs: z.number().int().positive().max(MAX_TIMEOUT_MS),
});
const CancelBody = z.strictObject({ callId: z.string().max(64) });
const TaskCancelBody = z.strictObject({ taskId: z.string().min(1).max(64), by: z.string().min(1).max(256) });
const WatchBody = z.strictObject({ hostId: z.string().min(1).max(64), targets: z.array(AgentTarget).max(20_000) });

class BadRequest extends Error {}

async function readJson<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest("body too large");
    chunks.push(c);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BadRequest("body is not JSON");
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new BadRequest(r.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  return r.data;
}

function answer(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

function rpcError(err: unknown): RpcError {
  if (isAgentCallError(err)) return { code: ERROR_CODES.includes(err.code) ? err.code : "internal", message: err.message };
  return { code: "internal", message: (err as Error)?.message ?? String(err) };
}

export class InternalRoutes {
  private readonly running = new Map<string, AbortController>();
  private watchers = 0;

  constructor(
    private readonly secret: string | null,
    private readonly serverId: string,
    private readonly hub: AgentHub,
    private readonly tasks: Pick<TaskService, "cancelHere"> | null = null,
  ) {}

  /** Answers the request when its path is internal (true), else leaves it to Next (false). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? "/", "http://internal");
    if (!url.pathname.startsWith(INTERNAL_PREFIX)) return false;
    const header = req.headers[CLUSTER_HEADER];
    if (header === undefined) return (void answer(res, 401, { error: "cluster secret required" }), true);
    if (!isClusterRequest(this.secret, header)) return (void answer(res, 403, { error: "wrong cluster secret" }), true);
    void this.route(url, req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.end();
      if (err instanceof BadRequest) answer(res, 400, { error: err.message });
      else {
        console.error("[cluster] internal route failed:", err);
        answer(res, 500, { error: "internal error" });
      }
    });
    return true;
  }

  private async route(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = `${req.method} ${url.pathname}`;
    if (at === "GET /internal/inventory") {
      const hosts = url.searchParams.get("hosts");
      const body: InventoryAnswer = { serverId: this.serverId, hosts: this.hub.snapshot(hosts ? hosts.split(",") : undefined) };
      return answer(res, 200, body);
    }
    if (at === "POST /internal/agent-call") return this.agentCall(await readJson(req, CallBody), res);
    if (at === "POST /internal/agent-cancel") {
      const { callId } = await readJson(req, CancelBody);
      const ctl = this.running.get(callId);
      ctl?.abort();
      return answer(res, ctl ? 204 : 404);
    }
    if (at === "POST /internal/task-cancel") {
      const { taskId, by } = await readJson(req, TaskCancelBody);
      return answer(res, this.tasks?.cancelHere(taskId, by) ? 204 : 404);
    }
    if (at === "POST /internal/metrics-watch") return this.metricsWatch(await readJson(req, WatchBody), res);
    answer(res, 404, { error: `no internal route ${at}` });
  }

  private async agentCall(b: z.infer<typeof CallBody>, res: ServerResponse): Promise<void> {
    const ctl = new AbortController();
    this.running.set(b.callId, ctl);
    // The caller went away (its server stopped, or cut the call): the agent is asked to stop.
    res.on("close", () => {
      if (!res.writableFinished) ctl.abort();
    });
    res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
    const line = (l: CallLine) => res.write(`${JSON.stringify(l)}\n`);
    try {
      // callLocal, never call: a server answering a peer does not hop again.
      const result = await this.hub.callLocal(b.hostId, b.method as MethodName, b.params as never, b.timeoutMs, {
        signal: ctl.signal,
        onProgress: (done, total) => line({ p: [done, total] }),
      });
      line({ ok: true, result });
    } catch (err) {
      line({ ok: false, error: rpcError(err) });
    } finally {
      this.running.delete(b.callId);
      res.end();
    }
  }

  /** Adds the peer's targets to the agent's watch while the response is open; streams their samples. */
  private async metricsWatch(b: z.infer<typeof WatchBody>, res: ServerResponse): Promise<void> {
    if (!this.hub.isLocal(b.hostId)) return answer(res, 409, { error: "the host's agent is not connected to this server" });
    const source = `peer:${++this.watchers}`;
    const wanted = new Set(b.targets);
    res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
    res.flushHeaders();
    const offMetrics = this.hub.on("metrics", (hostId, _coarse, samples) => {
      if (hostId !== b.hostId) return;
      const s = samples.filter((x) => wanted.has(x.target));
      if (s.length) res.write(`${JSON.stringify({ s } satisfies SampleLine)}\n`);
    });
    // The agent left this server: the peer looks for where it went.
    const offOffline = this.hub.on("offline", (hostId) => {
      if (hostId === b.hostId) res.end();
    });
    res.on("close", () => {
      offMetrics();
      offOffline();
      void this.hub.watchFor(source, b.hostId, []).catch(() => undefined);
    });
    await this.hub.watchFor(source, b.hostId, b.targets).catch(() => undefined);
  }
}
