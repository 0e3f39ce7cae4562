// What an HTTP GET costs on the wire: response headers + body as the socket read them, for a
// given Accept-Encoding (fetch() would decompress and hide the compressed size).
import http from "node:http";

export interface WireGet {
  status: number;
  /** Bytes the client's socket read: status line, headers and (possibly compressed) body. */
  wireBytes: number;
  /** Body bytes as sent (compressed when `encoding` was honoured). */
  bodyBytes: number;
  /** Content-Encoding the server answered with ("identity" when none). */
  encoding: string;
  ms: number;
}

export function wireGet(base: string, path: string, cookie: string, acceptEncoding: string): Promise<WireGet> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(base + path, { agent: false, headers: { Cookie: cookie, Origin: base, "Accept-Encoding": acceptEncoding } }, (res) => {
      let body = 0;
      res.on("data", (d: Buffer) => (body += d.length));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          wireBytes: res.socket.bytesRead,
          bodyBytes: body,
          encoding: String(res.headers["content-encoding"] ?? "identity"),
          ms: performance.now() - t0,
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}
