// The few Kubernetes API calls the KubeVirt driver makes, authenticated by
// @kubernetes/client-node's KubeConfig (certificates, tokens, exec plugins, proxies as
// kubectl does). KubeVirt's subresources (start, stop, pause, vnc) live in their own API
// group that the generated clients do not cover, so requests are plain HTTP(S) calls with
// the config's options applied; watches use the library's Watch.
import http from "node:http";
import https from "node:https";
import { KubeConfig, Watch } from "@kubernetes/client-node";
import type { Duplex } from "node:stream";
import WebSocket, { createWebSocketStream } from "ws";
import { DriverError } from "../driver";

export const KUBEVIRT = "/apis/kubevirt.io/v1";
export const SUBRESOURCES = "/apis/subresources.kubevirt.io/v1";

export class KubeApi {
  readonly config = new KubeConfig();
  private readonly watcher: Watch;

  constructor(kubeconfigPath: string) {
    this.config.loadFromFile(kubeconfigPath);
    this.watcher = new Watch(this.config);
  }

  get server(): string {
    const c = this.config.getCurrentCluster();
    if (!c) throw new DriverError("engine_unavailable", "the kubeconfig names no current cluster");
    return c.server.replace(/\/$/, "");
  }

  async request<T>(method: "GET" | "PUT", path: string, body?: unknown): Promise<T> {
    const url = new URL(this.server + path);
    const opts: https.RequestOptions = { method, headers: { Accept: "application/json" } };
    await this.config.applyToHTTPSOptions(opts);
    const payload = body === undefined ? null : JSON.stringify(body);
    if (payload !== null) opts.headers = { ...opts.headers, "Content-Type": "application/json" };
    const mod = url.protocol === "https:" ? https : http;
    return new Promise<T>((resolve, reject) => {
      const req = mod.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            resolve((text ? JSON.parse(text) : {}) as T);
            return;
          }
          // Kubernetes answers errors as a Status object with a readable message.
          let message = text;
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? text;
          } catch {
            // not JSON: keep the text
          }
          const code = status === 404 ? "not_found" : status === 409 ? "invalid_state" : "engine_error";
          reject(new DriverError(code, `${method} ${path}: HTTP ${status}: ${message.slice(0, 500)}`));
        });
        res.on("error", reject);
      });
      req.on("error", (e) => reject(new DriverError("engine_unavailable", `Kubernetes API ${url.host}: ${e.message}`)));
      req.setTimeout(30_000, () => req.destroy(new Error("timed out")));
      req.end(payload ?? undefined);
    });
  }

  /** Streams watch events until the server ends the watch or `abort()` is called. */
  async watch(
    path: string,
    resourceVersion: string | undefined,
    onEvent: (type: string, obj: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<{ abort(): void }> {
    // allowWatchBookmarks keeps the resourceVersion fresh on quiet clusters.
    return this.watcher.watch(path, { resourceVersion, allowWatchBookmarks: true }, onEvent, done);
  }

  /**
   * KubeVirt's VNC subresource: a websocket carrying raw RFB (subprotocol plain.kubevirt.io),
   * as a byte stream. The stream is made before the socket opens: the VNC server greets at
   * once, often in the same TCP read as the upgrade answer, and a listener added after
   * `open` would miss it.
   */
  async vnc(namespace: string, name: string): Promise<{ ws: WebSocket; stream: Duplex }> {
    const url = new URL(
      `${this.server}${SUBRESOURCES}/namespaces/${encodeURIComponent(namespace)}/virtualmachineinstances/${encodeURIComponent(name)}/vnc`,
    );
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const opts: WebSocket.ClientOptions = {};
    await this.config.applyToHTTPSOptions(opts);
    const ws = new WebSocket(url, ["plain.kubevirt.io"], opts);
    ws.binaryType = "nodebuffer";
    const stream = createWebSocketStream(ws);
    stream.pause();
    // Until a caller pipes it, a failure is reported by the promise below.
    const early = () => undefined;
    stream.on("error", early);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) => {
        res.resume();
        reject(new DriverError("invalid_state", `the VNC subresource of ${namespace}/${name} answered HTTP ${res.statusCode}`));
      });
      ws.once("error", (e) => reject(new DriverError("invalid_state", `cannot reach the VNC subresource: ${e.message}`)));
    }).catch((err: unknown) => {
      stream.destroy();
      throw err;
    });
    stream.off("error", early);
    return { ws, stream };
  }
}
