// Relays one console: browser websocket ⇄ the agent's raw data connection. Runs in the
// relay process. A slow reader pauses the other side (high-water marks) instead of making
// this process buffer without bound.
import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import { CONSOLE_CLOSE, parseResize, type StreamKind } from "../../protocol/console";
import { readLarge } from "./large-reads";

// Small buffers: QEMU's VNC server sends one frame per request, so a deep buffer adds
// latency and memory without adding throughput.
const HWM = 256 * 1024;
const EARLY_LIMIT = 64 * 1024;

export interface RelayHooks {
  onResize(cols: number, rows: number): void;
}

/**
 * Terminal sessions send their size as a text frame: {"type":"resize","cols":…,"rows":…},
 * parsed strictly (an unknown field is refused, naming it). Log streams take no message.
 */
export function parseControl(kind: StreamKind, text: string): { cols: number; rows: number } | { refused: string } {
  if (kind !== "exec") return { refused: "this stream takes no messages" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { refused: "control messages must be JSON" };
  }
  const m = parseResize(json);
  if ("refused" in m) return m;
  const clamp = (n: number) => Math.min(1000, Math.max(1, n));
  return { cols: clamp(m.cols), rows: clamp(m.rows) };
}

export class StreamRelay {
  private agent: Socket | null = null;
  private detached = false;
  private agentFull = false;
  private pendingSize: { cols: number; rows: number } | null = null;
  // Input typed before the agent's connection is paired is kept (bounded) and replayed first.
  private early: Buffer[] = [];
  private earlyBytes = 0;

  constructor(
    private readonly browser: WebSocket,
    private readonly kind: StreamKind,
    private readonly hooks: RelayHooks,
  ) {
    browser.on("message", (data: Buffer, isBinary: boolean) => this.fromBrowser(data, isBinary));
    browser.once("close", () => this.agent?.destroy());
    browser.on("error", () => browser.terminate());
  }

  /** Exec and log streams carry control messages (resize) as text frames. */
  private get textIsControl(): boolean {
    return this.kind === "exec" || this.kind === "logs";
  }

  private fromBrowser(data: Buffer, isBinary: boolean): void {
    // ws still emits messages while a close is under way: a closed console takes no input.
    if (this.detached || this.browser.readyState !== this.browser.OPEN) return;
    if (!isBinary && this.textIsControl) {
      const c = parseControl(this.kind, data.toString("utf8"));
      // Refused, not ignored: the console has no channel for an error but its close reason.
      if ("refused" in c) return this.browser.close(CONSOLE_CLOSE.invalidMessage, c.refused);
      this.resize(c);
      return;
    }
    const agent = this.agent;
    if (!agent) {
      this.earlyBytes += data.length;
      if (this.earlyBytes > EARLY_LIMIT) this.browser.close(1009, "too much input before the console opened");
      else this.early.push(data);
      return;
    }
    // browser → host: stop reading the browser while the agent's buffer is full.
    if (!agent.write(data) && !this.agentFull) {
      this.agentFull = true;
      this.browser.pause();
      agent.once("drain", () => {
        this.agentFull = false;
        this.browser.resume();
      });
    }
  }

  /**
   * Terminal sizes go to the server (which asks the agent) at most every 100 ms, the last
   * one winning. A size sent before the agent's side exists waits for it (the ticket
   * carried the first size).
   */
  private resize(size: { cols: number; rows: number }): void {
    const scheduled = this.pendingSize !== null;
    this.pendingSize = size;
    if (scheduled || !this.agent) return;
    setTimeout(() => {
      const s = this.pendingSize;
      this.pendingSize = null;
      if (s && !this.detached) this.hooks.onResize(s.cols, s.rows);
    }, 100);
  }

  /** Cuts the host side now (the console is being closed): nothing more reaches the VM. */
  detachAgent(): void {
    this.detached = true;
    this.agent?.destroy();
  }

  /** The agent's connection arrived: replay early input, then relay both ways. */
  attach(connection: Socket): void {
    const browser = this.browser;
    if (browser.readyState !== browser.OPEN || this.agent || this.detached) return void connection.destroy();
    // host → browser: every read goes out as one frame; reading pauses while the browser
    // has more than HWM bytes not yet flushed, and resumes once half of that is gone.
    let paused = false;
    const agent = readLarge(connection, (chunk, release) => {
      browser.send(chunk, { binary: true }, () => {
        release();
        if (paused && browser.bufferedAmount < HWM / 2) {
          paused = false;
          agent.resume();
        }
      });
      if (browser.bufferedAmount <= HWM) return true;
      paused = true;
      return false;
    });
    this.agent = agent;
    agent.setNoDelay(true);
    for (const chunk of this.early) agent.write(chunk);
    this.early = [];
    // A size sent before pairing is sent now.
    const size = this.pendingSize;
    this.pendingSize = null;
    if (size) this.resize(size);
    const done = () => {
      if (browser.readyState === browser.OPEN) browser.close(CONSOLE_CLOSE.agentGone, "console closed by the host");
      agent.destroy();
    };
    // The agent's FIN alone emits no 'close' on a half-open socket.
    agent.once("end", done);
    agent.once("close", done);
    agent.on("error", done);
    agent.resume();
  }
}
