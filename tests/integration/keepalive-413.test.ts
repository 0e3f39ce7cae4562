// A refused oversized body on a pooled keep-alive connection: the client gets its 413 and
// its next request on the same pool is answered (defect: it was reset, because the refused
// body was cancelled, which destroyed the connection under the next request). One
// connection per pool (maxSockets 1), so the next request goes where the refused one went.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWithAdmin, type Client, type TestServer } from "../helpers/server";
import { PeerAgent } from "../helpers/peer-agent";

interface Answer {
  status: number;
  connection: string | undefined;
  reused: boolean;
  json: any;
}

/** One request on `agent`; the body is written in 64 KiB pieces, chunked unless `declared`. */
function send(
  agent: http.Agent,
  base: string,
  method: string,
  path: string,
  o: { cookie?: string; body?: Buffer; declared?: boolean; type?: string } = {},
): Promise<Answer> {
  const url = new URL(path, base);
  const headers: Record<string, string | number> = { Origin: base, "X-Hangar-CSRF": "1" };
  if (o.cookie) headers.Cookie = o.cookie;
  if (o.body) {
    headers["Content-Type"] = o.type ?? "application/json";
    if (o.declared) headers["Content-Length"] = o.body.length;
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path: url.pathname + url.search, agent, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, reused: req.reusedSocket, json: text ? JSON.parse(text) : null }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    const body = o.body;
    if (!body) return void req.end();
    let at = 0;
    const pump = () => {
      while (at < body.length) {
        const ok = req.write(body.subarray(at, at + 65536));
        at += 65536;
        if (!ok) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

const jsonBody = (bytes: number) => Buffer.from(JSON.stringify({ username: "x".repeat(bytes), password: "y" }));

describe("413 on a keep-alive connection", () => {
  let srv: TestServer;
  let admin: Client;
  let peer: PeerAgent;
  let agent: http.Agent;

  beforeAll(async () => {
    // Uploads limited to 64 KiB here, so that an over-limit archive is cheap to send.
    ({ srv, admin } = await startWithAdmin({ HANGAR_MAX_IMAGE_BYTES: String(64 * 1024) }));
    peer = await PeerAgent.enroll(admin, "peer-host");
  });
  afterAll(async () => {
    await peer?.close();
    await srv?.stop();
  });

  // 70 KB is just over the 64 KiB JSON limit (drained, the connection is kept); 3 MB is far
  // over it (not read on: Connection: close); both must leave the pool usable.
  for (const size of [70_000, 3_000_000])
    for (const declared of [true, false]) {
      it(`${declared ? "declared Content-Length" : "chunked"} body of ${size} bytes → 413, then the next request on the pool is answered`, async () => {
        agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        try {
          expect((await send(agent, srv.url, "GET", "/api/auth/me", { cookie: admin.cookie })).status).toBe(200);
          const big = await send(agent, srv.url, "POST", "/api/auth/login", { body: jsonBody(size), declared });
          expect(big.status).toBe(413);
          expect(big.json.error.fields.body).toBeTruthy();
          for (let i = 0; i < 3; i++) expect((await send(agent, srv.url, "GET", "/api/auth/me", { cookie: admin.cookie })).status).toBe(200);
          // Within the drain bound the connection is kept; past it the server says it closes it.
          expect(big.connection).toBe(size < 1024 * 1024 ? "keep-alive" : "close");
        } finally {
          agent.destroy();
        }
      });
    }

  it("an over-limit image upload (declared, then chunked) → 413, and the pool keeps working", async () => {
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // A tar header first (so the chunked upload gets past the format check), then more than the limit.
      const tar = Buffer.alloc(200 * 1024);
      tar.write("ustar", 257, "latin1");
      for (const declared of [true, false]) {
        const r = await send(agent, srv.url, "POST", `/api/hosts/${peer.hostId}/images?mode=load`, {
          cookie: admin.cookie,
          body: tar,
          declared,
          type: "application/x-tar",
        });
        // Chunked: the peer agent cannot take the archive (no image.load), so the 413 can also be the upload failing first.
        if (declared) expect(r.status).toBe(413);
        else expect([413, 422, 502, 503]).toContain(r.status);
        expect((await send(agent, srv.url, "GET", "/api/auth/me", { cookie: admin.cookie })).status).toBe(200);
      }
    } finally {
      agent.destroy();
    }
  });
});
