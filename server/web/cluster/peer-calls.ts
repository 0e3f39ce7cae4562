// The calling side of the one hop between servers (decision 0005): an agent call, an
// inventory read or a metric stream for a host whose agent a peer holds, over HTTP to
// that peer's internal URL with the cluster secret. Answers come back as NDJSON lines:
// progress frames while the call runs, then the result or the agent's error unchanged
// (same AgentCallError code, so routes map it to the same HTTP status as a local call).
import { randomUUID } from "node:crypto";
import type { MethodName, MethodParams, MethodResult, MetricSample, RpcError } from "../../protocol";
import { AgentCallError, isAgentCallError, type CallOptions } from "../agents/agent-connection";
import type { HostSnapshot } from "../agents/host-inventory";
import { clusterHeaders } from "./internal-auth";

/** As for a local call (AgentConnection's default). */
const DEFAULT_TIMEOUT_MS = 15_000;
/** The peer times the call out itself and answers "timeout"; this covers a peer that went silent. */
const GRACE_MS = 5_000;
const INVENTORY_TIMEOUT_MS = 10_000;

/** One NDJSON line of /internal/agent-call. */
export type CallLine = { p: [done: number, total: number | null] } | { ok: true; result: unknown } | { ok: false; error: RpcError };
/** One NDJSON line of /internal/metrics-watch: samples of one agent tick. */
export type SampleLine = { s: MetricSample[] };

export interface InventoryAnswer {
  serverId: string;
  hosts: HostSnapshot[];
}

/** Reads an NDJSON body line by line. */
async function readLines(body: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line) onLine(line);
    }
  }
  if (buf.trim()) onLine(buf);
}

export class PeerCalls {
  constructor(private readonly secret: string) {}

  private headers(): Record<string, string> {
    return { ...clusterHeaders(this.secret), "content-type": "application/json" };
  }

  /** The hosts the peer holds (all, or those named), as its hub knows them. */
  async inventory(url: string, hostIds?: readonly string[]): Promise<InventoryAnswer> {
    const q = hostIds ? `?hosts=${hostIds.map(encodeURIComponent).join(",")}` : "";
    const res = await fetch(`${url}/internal/inventory${q}`, { headers: this.headers(), signal: AbortSignal.timeout(INVENTORY_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`inventory of ${url}: HTTP ${res.status}`);
    return (await res.json()) as InventoryAnswer;
  }

  /**
   * Runs one agent call on the peer. Cancelling (opts.signal) asks the peer to cancel it and
   * still waits for the agent's answer, as a local call does; only if that request fails is
   * the call itself cut (the peer then aborts the agent's call when the connection closes).
   */
  async call<M extends MethodName>(
    url: string,
    hostId: string,
    method: M,
    params: MethodParams<M>,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    opts: CallOptions = {},
  ): Promise<MethodResult<M>> {
    const callId = randomUUID();
    const ctl = new AbortController();
    let timedOut = false;
    const guard = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, timeoutMs + GRACE_MS);
    const cancel = () =>
      void fetch(`${url}/internal/agent-cancel`, { method: "POST", headers: this.headers(), body: JSON.stringify({ callId }) })
        .then((r) => (r.ok ? undefined : ctl.abort()))
        .catch(() => ctl.abort());
    if (opts.signal?.aborted) cancel();
    else opts.signal?.addEventListener("abort", cancel, { once: true });
    try {
      const res = await fetch(`${url}/internal/agent-call`, {
        method: "POST",
        headers: this.headers(),
        body: JSON.stringify({ callId, hostId, method, params, timeoutMs }),
        signal: ctl.signal,
      });
      if (!res.ok || !res.body) throw new AgentCallError("offline", `the server holding the host's agent refused the call (HTTP ${res.status})`);
      let final: Exclude<CallLine, { p: unknown }> | null = null;
      await readLines(res.body, (line) => {
        const l = JSON.parse(line) as CallLine;
        if ("p" in l) opts.onProgress?.(l.p[0], l.p[1]);
        else final = l;
      });
      const answer = final as Exclude<CallLine, { p: unknown }> | null;
      if (!answer) throw new AgentCallError("offline", "the server holding the host's agent ended the call without an answer");
      // The peer's hub checked the result against the method's schema already.
      if (answer.ok) return answer.result as MethodResult<M>;
      throw new AgentCallError(answer.error.code, answer.error.message);
    } catch (err) {
      if (isAgentCallError(err)) throw err;
      if (timedOut) throw new AgentCallError("timeout", `${method} got no answer within ${timeoutMs} ms`);
      throw new AgentCallError("offline", `the server holding the host's agent did not answer: ${(err as Error).message}`);
    } finally {
      clearTimeout(guard);
      opts.signal?.removeEventListener("abort", cancel);
    }
  }

  /** Asks the server running a task to cancel it; false when it runs no such task (any more). */
  async cancelTask(url: string, taskId: string, by: string): Promise<boolean> {
    const res = await fetch(`${url}/internal/task-cancel`, {
      method: "POST",
      headers: this.headers(),
      body: JSON.stringify({ taskId, by }),
      signal: AbortSignal.timeout(INVENTORY_TIMEOUT_MS),
    });
    return res.status === 204;
  }

  /**
   * Streams the samples of `targets` of a host from the peer (which adds them to its
   * agent's watch) until `signal` aborts or the peer ends the stream (the agent left it).
   */
  async watch(url: string, hostId: string, targets: readonly string[], onSamples: (s: MetricSample[]) => void, signal: AbortSignal): Promise<void> {
    const res = await fetch(`${url}/internal/metrics-watch`, {
      method: "POST",
      headers: this.headers(),
      body: JSON.stringify({ hostId, targets }),
      signal,
    });
    if (!res.ok || !res.body) throw new Error(`metrics watch on ${url}: HTTP ${res.status}`);
    await readLines(res.body, (line) => onSamples((JSON.parse(line) as SampleLine).s));
  }
}
