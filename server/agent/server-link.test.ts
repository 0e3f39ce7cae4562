// The link's failover between servers (decision 0005), against real websocket servers on
// loopback: a server that goes away sends the agent to the next address after one short
// retry, a refusal (a balancer's 503) moves on instead of stalling the handshake, and
// the link's url names the server it is on (data channels dial that one).
import http from "node:http";
import type net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { ServerLink } from "./server-link";

interface FakeServer {
  url: string;
  hellos: number;
  sockets: Set<WebSocket>;
  close: () => Promise<void>;
}

/**
 * Answers /ws/agent with a welcome after the hello; `status` refuses the upgrade instead;
 * `pingMs` pings each agent that often (as the real hub does, every 4 s).
 */
async function fakeServer(status?: number, pingMs?: number): Promise<FakeServer> {
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true });
  const me: FakeServer = { url: "", hellos: 0, sockets: new Set(), close: async () => undefined };
  server.on("upgrade", (req, socket: net.Socket, head) => {
    if (status) return void socket.end(`HTTP/1.1 ${status} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      me.sockets.add(ws);
      const pinger = pingMs ? setInterval(() => ws.ping(), pingMs) : null;
      ws.on("close", () => {
        me.sockets.delete(ws);
        if (pinger) clearInterval(pinger);
      });
      ws.on("message", (d) => {
        if ((JSON.parse(String(d)) as { type: string }).type !== "hello") return;
        me.hellos++;
        ws.send(JSON.stringify({ type: "welcome", hostId: "h1" }));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  me.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  me.close = () =>
    new Promise<void>((r) => {
      // Like a killed process: every connection cut at once, then the port closed.
      for (const ws of me.sockets) ws.terminate();
      server.close(() => r());
      server.closeAllConnections();
    });
  return me;
}

async function until(what: string, fn: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const links: ServerLink[] = [];
const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function link(urls: string[], silenceMs?: number): ServerLink {
  const l = new ServerLink({
    serverUrls: urls,
    silenceMs,
    credential: "c",
    agentVersion: "test",
    facts: async () => ({}) as never,
    drivers: [],
    dispatch: async () => ({ ok: true, result: null }),
    log: () => undefined,
  });
  links.push(l);
  l.start();
  return l;
}

describe("ServerLink failover", () => {
  it("a server that dies: the agent says hello to the next one within a second", async () => {
    const a = await fakeServer();
    const b = await fakeServer();
    servers.push(a, b);
    const l = link([a.url, b.url]);
    await until("hello on A", () => a.hellos === 1);
    expect(l.url).toBe(a.url);
    const t0 = Date.now();
    await a.close();
    await until("hello on B", () => b.hellos === 1);
    // First retry after a working connection: 250-500 ms (full jitter of the 500 ms step).
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(l.url).toBe(b.url);
  });

  it("a refused upgrade (a balancer's 503) moves on to the next server instead of hanging", async () => {
    const refusing = await fakeServer(503);
    const b = await fakeServer();
    servers.push(refusing, b);
    const l = link([refusing.url, b.url]);
    await until("hello on B", () => b.hellos === 1);
    expect(l.url).toBe(b.url);
  });

  it("one address (a balancer): the same address is retried after a drop", async () => {
    const a = await fakeServer();
    servers.push(a);
    link([a.url]);
    await until("first hello", () => a.hellos === 1);
    for (const ws of a.sockets) ws.terminate();
    await until("hello again", () => a.hellos === 2, 3000);
  });

  it("a server that goes silent (hung, or its network gone) is left for the next one; one that pings is kept", async () => {
    const silent = await fakeServer();
    const pinging = await fakeServer(undefined, 50);
    servers.push(silent, pinging);
    const l = link([silent.url, pinging.url], 400);
    await until("hello on the silent server", () => silent.hellos === 1);
    // Cut after 400 ms of silence (checked every 200 ms), then on to the next address.
    await until("hello on the pinging server", () => pinging.hellos === 1, 3000);
    expect(silent.sockets.size).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(pinging.hellos).toBe(1);
    expect(l.url).toBe(pinging.url);
  });
});
