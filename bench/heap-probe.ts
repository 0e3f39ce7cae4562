// Reads a running Node process's V8 heap through its inspector, to tell a leak (live heap
// that keeps growing after a full GC) from a heap that V8 simply has not shrunk yet (RSS
// alone cannot tell them apart). The inspector is opened with SIGUSR1, on the port given
// by --inspect-port in the process's NODE_OPTIONS (0: any free port), and announced on
// stderr, where we find its address.
import WebSocket from "ws";
import { until } from "../tests/helpers/lab";

export const INSPECT_ANY_PORT = "--inspect-port=127.0.0.1:0";

export class HeapProbe {
  private id = 0;
  private readonly waiting = new Map<number, (r: { result?: unknown; error?: unknown }) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (d) => {
      const m = JSON.parse(String(d)) as { id?: number; result?: unknown; error?: unknown };
      if (m.id !== undefined) this.waiting.get(m.id)?.(m);
    });
  }

  /** `logs` is the process's stderr so far (where the inspector prints its address). */
  static async attach(pid: number, logs: () => string): Promise<HeapProbe> {
    const from = logs().length;
    process.kill(pid, "SIGUSR1");
    const url = await until("inspector address", () => /Debugger listening on (ws:\/\/\S+)/.exec(logs().slice(from))?.[1], 10_000, 20);
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    return new HeapProbe(ws);
  }

  private call<T>(method: string, params?: Record<string, unknown>): Promise<T> {
    const id = ++this.id;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (m) => {
        this.waiting.delete(id);
        if (m.error) reject(new Error(`${method}: ${JSON.stringify(m.error)}`));
        else resolve(m.result as T);
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Live + garbage not yet collected, in MiB. */
  async usedMiB(): Promise<number> {
    const r = await this.call<{ usedSize: number }>("Runtime.getHeapUsage");
    return r.usedSize / 1048576;
  }

  /** A full GC, then what is still reachable, in MiB. */
  async liveMiB(): Promise<number> {
    await this.call("HeapProfiler.collectGarbage");
    return this.usedMiB();
  }

  /**
   * Writes a heap snapshot of the process to `file` (a full GC runs first), for
   * bench/heap-diff.ts. Evaluated inside the process, so the snapshot never crosses the socket.
   */
  async snapshot(file: string): Promise<void> {
    const expression = `process.getBuiltinModule("node:v8").writeHeapSnapshot(${JSON.stringify(file)})`;
    const r = await this.call<{ exceptionDetails?: unknown }>("Runtime.evaluate", { expression, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`heap snapshot failed: ${JSON.stringify(r.exceptionDetails)}`);
  }

  close(): void {
    this.ws.close();
  }
}
