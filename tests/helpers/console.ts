import WebSocket from "ws";
import type { Client } from "./server";

export async function ticket(admin: Client, hostId: string, uuid: string, body: Record<string, unknown> = { kind: "vnc" }) {
  return admin.req("POST", `/api/machines/${hostId}/${uuid}/console`, body);
}

/** Opens a console socket like a browser: ticket as subprotocol, session cookie, Origin. */
export function openConsole(
  base: string,
  cookie: string,
  protocols: string[],
  origin = base,
): Promise<{ status: number; ws?: WebSocket; first?: Promise<Buffer> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base.replace(/^http/, "ws") + "/ws/console", protocols, { headers: { Origin: origin, Cookie: cookie } });
    const first = new Promise<Buffer>((r) => ws.once("message", (d) => r(Buffer.from(d as Buffer))));
    ws.once("open", () => resolve({ status: 101, ws, first }));
    ws.once("unexpected-response", (_q, res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
    });
    ws.once("error", reject);
  });
}

/** Everything a console socket receives, as text in the given encoding. */
export function collectText(ws: WebSocket, encoding: BufferEncoding = "utf8"): { text: () => string } {
  let buf = "";
  ws.on("message", (d) => (buf += Buffer.from(d as Buffer).toString(encoding)));
  return { text: () => buf };
}
