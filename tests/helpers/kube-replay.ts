// A stand-in Kubernetes API server for the KubeVirt contract tests (no real API server can
// run on our machines): answers list and watch calls for VirtualMachines and
// VirtualMachineInstances from the documented objects in tests/fixtures/kubevirt/, streams
// watch events pushed by the test as newline-delimited JSON (as the API server does),
// records the subresource PUTs it receives, and serves the VNC subresource websocket
// (subprotocol plain.kubevirt.io) with an RFB greeting so a console can be checked to its
// first bytes.
import fs from "node:fs";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { WebSocketServer, type WebSocket } from "ws";

type Obj = { metadata: { name: string; namespace?: string; uid: string; resourceVersion?: string } } & Record<string, unknown>;
type Resource = "virtualmachines" | "virtualmachineinstances";
const KIND: Record<Resource, string> = { virtualmachines: "VirtualMachine", virtualmachineinstances: "VirtualMachineInstance" };

const FIXTURES = path.resolve(import.meta.dirname, "..", "fixtures", "kubevirt");
export function fixture(name: string): Obj {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Obj;
}

export const RFB_GREETING = "RFB 003.008\n";

export interface ReplayedPut {
  path: string;
  body: unknown;
}

export class KubeReplay {
  readonly puts: ReplayedPut[] = [];
  /** Bytes the VNC websocket received from its clients. */
  readonly vncReceived: Buffer[] = [];
  vncOpened = 0;
  private readonly store: Record<Resource, Map<string, Obj>> = { virtualmachines: new Map(), virtualmachineinstances: new Map() };
  private readonly watchers: { resource: Resource; ns: string | null; res: http.ServerResponse }[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has("plain.kubevirt.io") ? "plain.kubevirt.io" : false) });
  private rv = 200_000;
  private server: http.Server | null = null;
  url = "";

  constructor(objects: { vms: Obj[]; vmis: Obj[] }) {
    for (const vm of objects.vms) this.store.virtualmachines.set(key(vm), vm);
    for (const vmi of objects.vmis) this.store.virtualmachineinstances.set(key(vmi), vmi);
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => this.answer(req, res));
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.once("close", () => this.sockets.delete(s));
    });
    server.on("upgrade", (req, socket, head) => this.upgrade(req, socket as net.Socket, head));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    return this;
  }

  /** A kubeconfig naming this server (token auth, as a service account's would). */
  kubeconfig(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-kubevirt-"));
    const file = path.join(dir, "kubeconfig");
    fs.writeFileSync(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        // client-node refuses plain HTTP unless TLS checks are explicitly off (loopback only).
        `- name: replay\n  cluster:\n    server: ${this.url}\n    insecure-skip-tls-verify: true`,
        "users:",
        "- name: hangar\n  user:\n    token: replay-token",
        "contexts:",
        "- name: replay\n  context:\n    cluster: replay\n    user: hangar",
        "current-context: replay",
        "",
      ].join("\n"),
    );
    return file;
  }

  /** Sends a watch event to every open watch of the object's resource (and keeps the object). */
  push(type: "ADDED" | "MODIFIED" | "DELETED", resource: Resource, obj: Obj): void {
    const o = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } };
    if (type === "DELETED") this.store[resource].delete(key(o));
    else this.store[resource].set(key(o), o);
    const line = JSON.stringify({ type, object: o }) + "\n";
    for (const w of this.watchers) if (w.resource === resource && (w.ns === null || w.ns === o.metadata.namespace)) w.res.write(line);
  }

  watchCount(resource: Resource): number {
    return this.watchers.filter((w) => w.resource === resource && !w.res.writableEnded).length;
  }

  /** Ends every open watch, as the API server does when its watch timeout runs out. */
  endWatches(): void {
    for (const w of this.watchers.splice(0)) w.res.end();
  }

  async stop(): Promise<void> {
    this.endWatches();
    for (const c of this.wss.clients) c.terminate();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", this.url);
    if (req.headers.authorization !== "Bearer replay-token") return status(res, 401, "Unauthorized");
    const list = /^\/apis\/kubevirt\.io\/v1(?:\/namespaces\/([^/]+))?\/(virtualmachines|virtualmachineinstances)$/.exec(url.pathname);
    if (req.method === "GET" && list) {
      const ns = list[1] ? decodeURIComponent(list[1]) : null;
      const resource = list[2] as Resource;
      if (url.searchParams.get("watch") === "true") {
        res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
        res.flushHeaders();
        this.watchers.push({ resource, ns, res });
        return;
      }
      const items = [...this.store[resource].values()].filter((o) => ns === null || o.metadata.namespace === ns);
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ apiVersion: "kubevirt.io/v1", kind: `${KIND[resource]}List`, metadata: { resourceVersion: String(this.rv) }, items }));
      return;
    }
    const sub = /^\/apis\/subresources\.kubevirt\.io\/v1\/namespaces\/([^/]+)\/(virtualmachines|virtualmachineinstances)\/([^/]+)\/([a-z]+)$/.exec(
      url.pathname,
    );
    if (req.method === "PUT" && sub) {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        this.puts.push({ path: url.pathname, body: body ? JSON.parse(body) : null });
        const target = this.store[sub[2] as Resource].get(`${decodeURIComponent(sub[1]!)}/${decodeURIComponent(sub[3]!)}`);
        // KubeVirt answers 202 Accepted with an empty body; the change itself shows in the watch.
        if (!target) status(res, 404, `${sub[2]} "${sub[3]}" not found`);
        else {
          res.writeHead(202);
          res.end();
        }
      });
      return;
    }
    status(res, 404, `the replay server has no answer for ${req.method} ${url.pathname}`);
  }

  private upgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    const m = /^\/apis\/subresources\.kubevirt\.io\/v1\/namespaces\/([^/]+)\/virtualmachineinstances\/([^/]+)\/vnc$/.exec(
      new URL(req.url ?? "/", this.url).pathname,
    );
    const found = m && this.store.virtualmachineinstances.has(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`);
    if (!found || req.headers.authorization !== "Bearer replay-token") {
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      this.vncOpened++;
      ws.on("message", (d) => this.vncReceived.push(Buffer.from(d as Buffer)));
      ws.send(Buffer.from(RFB_GREETING, "latin1"));
    });
  }
}

function key(o: Obj): string {
  return `${o.metadata.namespace ?? "default"}/${o.metadata.name}`;
}

function status(res: http.ServerResponse, code: number, message: string): void {
  res.writeHead(code, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message, code }));
}

/** The three documented machines: testvm running, vm-cirros stopped, vm-fedora paused. */
export function documentedCluster(): KubeReplay {
  return new KubeReplay({
    vms: [fixture("vm-running"), fixture("vm-stopped"), fixture("vm-paused")],
    vmis: [fixture("vmi-running"), fixture("vmi-paused")],
  });
}
