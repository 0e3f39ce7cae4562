// The server's end of one agent's websocket: frames validated strictly (a field the
// protocol does not name is refused, see protocol/agent-messages.ts), calls with ids and
// timeouts, events handed to the hub.
import type { WebSocket } from "ws";
import {
  AgentFrame,
  invalidMessage,
  Methods,
  parseFrame,
  PROTOCOL_VERSION,
  type AgentEvent,
  type HostFacts,
  type MethodName,
  type MethodParams,
  type MethodResult,
  type RpcError,
} from "../../protocol";

const BRAND = Symbol.for("hangar.AgentCallError");

/** True for an AgentCallError from either bundle (see http/errors.ts on why no instanceof). */
export function isAgentCallError(e: unknown): e is AgentCallError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

export class AgentCallError extends Error {
  readonly [BRAND] = true;
  constructor(
    readonly code: RpcError["code"],
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  method: MethodName;
  onProgress?: (done: number, total: number | null) => void;
}

/** What a caller may follow or stop of a long call. */
export interface CallOptions {
  /** The agent's progress reports for this call (at most every 250 ms). */
  onProgress?: (done: number, total: number | null) => void;
  /**
   * Aborting asks the agent to stop the call. The promise still settles with the agent's
   * answer ("cancelled" once it has cleaned up), never before: the caller learns when the
   * agent's work has really stopped.
   */
  signal?: AbortSignal;
}

export interface AgentConnectionEvents {
  hello: (facts: HostFacts, agentVersion: string) => void;
  event: (e: AgentEvent, at: number) => void;
  close: (reason: string) => void;
}

export class AgentConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  facts: HostFacts | null = null;
  agentVersion = "";

  constructor(
    readonly hostId: string,
    private readonly ws: WebSocket,
    private readonly on: AgentConnectionEvents,
  ) {
    ws.on("message", (data, isBinary) => {
      // Nothing an agent sends may take the server down.
      try {
        this.onMessage(isBinary ? Buffer.from(data as Buffer) : String(data));
      } catch (err) {
        console.error(`[hub] host ${hostId}: frame handling failed:`, err);
      }
    });
    ws.on("close", (code, reason) => this.shutdown(`agent disconnected (${code}${reason.length ? `: ${reason.toString()}` : ""})`));
    ws.on("error", () => undefined);
  }

  call<M extends MethodName>(method: M, params: MethodParams<M>, timeoutMs = 15_000, opts: CallOptions = {}): Promise<MethodResult<M>> {
    if (this.closed) return Promise.reject(new AgentCallError("offline", "the host's agent is not connected"));
    const id = this.nextId++;
    const cancel = () => {
      if (this.pending.has(id) && !this.closed) this.ws.send(JSON.stringify({ type: "cancel", id }));
    };
    const p = new Promise<MethodResult<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AgentCallError("timeout", `${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer, method, onProgress: opts.onProgress });
      this.ws.send(JSON.stringify({ type: "req", id, method, params }));
    });
    if (opts.signal) {
      const signal = opts.signal;
      if (signal.aborted) cancel();
      else signal.addEventListener("abort", cancel, { once: true });
      void p.catch(() => undefined).finally(() => signal.removeEventListener("abort", cancel));
    }
    return p;
  }

  close(code = 1000, reason = ""): void {
    this.ws.close(code, reason);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private onMessage(raw: string | Buffer): void {
    const parsed = parseFrame(AgentFrame, raw);
    if (!parsed.ok) {
      console.warn(`[hub] host ${this.hostId}: rejected frame: ${parsed.error.message}`);
      this.ws.send(JSON.stringify({ type: "error", error: parsed.error }));
      // A malformed reply still settles its call, so the caller is not left waiting.
      if (parsed.id !== null) this.settle(parsed.id, new AgentCallError("invalid_message", parsed.error.message));
      return;
    }
    const f = parsed.frame;
    switch (f.type) {
      case "hello":
        if (f.protocol !== PROTOCOL_VERSION) {
          this.ws.send(
            JSON.stringify({
              type: "error",
              error: { code: "unsupported_protocol", message: `server speaks protocol ${PROTOCOL_VERSION}, agent ${f.protocol}` },
            }),
          );
          this.ws.close(4400, "unsupported protocol");
          return;
        }
        this.facts = f.facts;
        this.agentVersion = f.agentVersion;
        this.ws.send(JSON.stringify({ type: "welcome", protocol: PROTOCOL_VERSION, hostId: this.hostId, serverTime: Date.now() }));
        this.on.hello(f.facts, f.agentVersion);
        return;
      case "res": {
        if (f.ok) {
          const p = this.pending.get(f.id);
          if (!p) return;
          const r = Methods[p.method].result.safeParse(f.result);
          this.settle(
            f.id,
            r.success ? null : new AgentCallError("invalid_message", invalidMessage(`invalid ${p.method} result`, r.error)),
            r.success ? r.data : undefined,
          );
        } else {
          this.settle(f.id, new AgentCallError(f.error.code, f.error.message));
        }
        return;
      }
      case "event":
        this.on.event(f.event, f.at);
        return;
      case "progress":
        this.pending.get(f.id)?.onProgress?.(f.done, f.total);
        return;
      case "error":
        console.warn(`[hub] host ${this.hostId}: agent reported: ${f.error.code}: ${f.error.message}`);
        return;
    }
  }

  private settle(id: number, err: Error | null, value?: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve(value);
  }

  private shutdown(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const [id] of this.pending) this.settle(id, new AgentCallError("offline", reason));
    this.on.close(reason);
  }
}
