import WebSocket from "ws";

export type UpgradeResult = { status: number; ws?: WebSocket };

// Messages are queued from the moment the socket exists: a server that speaks first can
// deliver its frame in the same read as the 101 response, before a test could listen.
const inbox = new WeakMap<WebSocket, { queue: any[]; waiters: ((m: any) => void)[] }>();

function track(ws: WebSocket): void {
  const box = { queue: [] as any[], waiters: [] as ((m: any) => void)[] };
  inbox.set(ws, box);
  ws.on("message", (d) => {
    const msg = JSON.parse(String(d));
    const w = box.waiters.shift();
    if (w) w(msg);
    else box.queue.push(msg);
  });
}

/** Tries a websocket upgrade and reports the HTTP status the server answered with. */
export function tryUpgrade(base: string, path: string, headers: Record<string, string>): Promise<UpgradeResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base.replace(/^http/, "ws") + path, { headers });
    track(ws);
    ws.once("open", () => resolve({ status: 101, ws }));
    ws.once("unexpected-response", (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
    });
    ws.once("error", (e) => reject(e));
  });
}

/** The next JSON message on a socket opened by tryUpgrade (queued ones first). */
export function nextMessage(ws: WebSocket): Promise<any> {
  const box = inbox.get(ws);
  if (!box) throw new Error("socket not opened through tryUpgrade");
  const queued = box.queue.shift();
  if (queued !== undefined) return Promise.resolve(queued);
  return new Promise((resolve) => box.waiters.push(resolve));
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
}
