// A browser-like /ws/events client for benchmarks: it resumes after a reconnect exactly as
// components/lib/live-events.ts does (`?resume=<epoch>:<seq>`), keeps its own view of the
// machine and task rows from the events, and records every sequence problem (a gap, a
// duplicate, a resume the server refused) instead of papering over it with a refetch.
import WebSocket from "ws";
import type { BrowserEvent, MachineRow, TaskRow } from "../server/protocol/browser-events";

export interface SeqProblem {
  kind: "gap" | "duplicate" | "not-resumed" | "hello-seq";
  /** The seq the client expected next (or, for hello, its resume point). */
  expected: number;
  got: number;
  at: number;
}

type Hello = Extract<BrowserEvent, { type: "hello" }>;
type Seqd = Extract<BrowserEvent, { seq: number }>;

export interface LiveClientOptions {
  /** Called for every event but samples (a duplicate is not passed on), at receipt (Date.now()). */
  onEvent?: (e: BrowserEvent, at: number) => void;
  /** Every message as received (for measuring what compression would save). */
  onFrame?: (raw: string) => void;
  /** The server closed the socket (we did not ask). */
  onLost?: (code: number) => void;
}

export const rowKey = (hostId: string, id: string) => `${hostId}/${id}`;

export class LiveClient {
  epoch = "";
  lastSeq = 0;
  readonly machines = new Map<string, MachineRow>();
  readonly tasks = new Map<string, TaskRow>();
  readonly problems: SeqProblem[] = [];
  connects = 0;
  resumes = 0;
  /** Sockets the server closed on us. */
  lost = 0;
  /** When the current socket's hello arrived: events of changes before it came by replay. */
  helloAt = 0;
  /** Live metric samples received (not parsed: only counted). */
  samples = 0;
  ws: WebSocket | null = null;
  private socketBytes: () => number = () => 0;
  private resuming = false;
  private closing = false;

  constructor(
    readonly base: string,
    readonly cookie: string,
    private readonly opts: LiveClientOptions = {},
  ) {}

  /** Bytes received on the current socket so far (101 response headers + frames). */
  get bytesRead(): number {
    return this.socketBytes();
  }

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Rows seen so far, e.g. from GET /api/machines before any change (as a page load does). */
  seed(rows: MachineRow[]): void {
    this.machines.clear();
    for (const r of rows) this.machines.set(rowKey(r.hostId, r.uuid), r);
  }

  /** Opens the socket (resuming when it had one before) and resolves with the hello. */
  connect(): Promise<Hello> {
    this.resuming = this.epoch !== "";
    const q = this.resuming ? `?resume=${encodeURIComponent(`${this.epoch}:${this.lastSeq}`)}` : "";
    const ws = new WebSocket(`${this.base.replace(/^http/, "ws")}/ws/events${q}`, {
      headers: { Origin: this.base, Cookie: this.cookie },
      perMessageDeflate: false,
    });
    this.ws = ws;
    this.connects++;
    this.closing = false;
    ws.on("close", (code) => {
      if (this.closing || this.ws !== ws) return;
      this.lost++;
      this.opts.onLost?.(code);
    });
    return new Promise((resolve, reject) => {
      ws.once("upgrade", (res) => {
        const s = res.socket;
        this.socketBytes = () => s.bytesRead;
      });
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`events socket refused: ${res.statusCode}`)));
      ws.on("message", (data) => {
        const raw = String(data);
        const at = Date.now();
        this.opts.onFrame?.(raw);
        // Samples are frequent and carry no seq: counted without parsing.
        if (raw.startsWith('{"type":"metrics","samples"')) {
          this.samples += raw.split('"series"').length - 1;
          return;
        }
        const e = JSON.parse(raw) as BrowserEvent;
        if (e.type === "hello") {
          this.onHello(e, at);
          resolve(e);
        } else if ("seq" in e) this.onSeq(e, at);
        else this.opts.onEvent?.(e, at);
      });
    });
  }

  /** Closes the socket and waits until it is gone. */
  async close(): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    this.closing = true;
    await new Promise<void>((r) => {
      ws.once("close", () => r());
      ws.close();
    });
  }

  send(msg: unknown): void {
    this.ws?.send(JSON.stringify(msg));
  }

  private onHello(e: Hello, at: number): void {
    if (this.resuming) {
      this.resumes++;
      if (!e.resumed || e.epoch !== this.epoch) this.problems.push({ kind: "not-resumed", expected: this.lastSeq, got: e.seq, at });
      else if (e.seq !== this.lastSeq) this.problems.push({ kind: "hello-seq", expected: this.lastSeq, got: e.seq, at });
    }
    this.epoch = e.epoch;
    this.lastSeq = e.seq;
    this.helloAt = at;
    this.opts.onEvent?.(e, at);
  }

  private onSeq(e: Seqd, at: number): void {
    if (e.seq <= this.lastSeq) {
      this.problems.push({ kind: "duplicate", expected: this.lastSeq + 1, got: e.seq, at });
      return;
    }
    if (e.seq !== this.lastSeq + 1) this.problems.push({ kind: "gap", expected: this.lastSeq + 1, got: e.seq, at });
    this.lastSeq = e.seq;
    if (e.type === "machine.upsert") this.machines.set(rowKey(e.machine.hostId, e.machine.uuid), e.machine);
    else if (e.type === "machine.remove") this.machines.delete(rowKey(e.hostId, e.uuid));
    else if (e.type === "task.upsert") this.tasks.set(e.task.id, e.task);
    this.opts.onEvent?.(e, at);
  }
}

/** Fields of a row that a client's view must agree on with GET /api/machines (observedAt moves with every event of the host). */
export function comparable(r: MachineRow): string {
  const { observedAt: _o, ...rest } = r;
  return canonical(rest);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}
