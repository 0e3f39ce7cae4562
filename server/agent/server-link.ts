// The agent's websocket to the server: dials out (the agent never listens), says hello,
// answers calls, forwards driver events, and reconnects with jittered backoff. On every
// connect the server gets a full inventory first, then live events.
import WebSocket from "ws";
import { Backoff } from "./backoff";
import { Methods, MAX_FRAME_BYTES, parseFrame, PROTOCOL_VERSION, ServerFrame, type AgentEvent, type HostFacts, type MethodName, type RpcError } from "../protocol";
import { DriverError, type HypervisorDriver } from "./drivers/driver";
import { openConsole, type ConsoleOpenParams } from "./consoles";
import type { SerialHub } from "./serial-hub";
import type { MetricsStreamer } from "./metrics/metrics-streamer";
import type { ContainerDriver } from "./drivers/containers/container-driver";
import type { ContainerStreams } from "./drivers/containers/container-streams";
import { CONTAINER_METHODS, dispatchContainer } from "./drivers/containers/container-methods";

export interface LinkOptions {
  serverUrl: string;
  credential: string;
  agentVersion: string;
  facts: () => Promise<HostFacts>;
  serial: SerialHub;
  metrics?: MetricsStreamer;
  containers?: { driver: ContainerDriver; streams: ContainerStreams };
  log?: (msg: string) => void;
}

export class ServerLink {
  private ws: WebSocket | null = null;
  // Full jitter: 0.5-1× of an exponential step capped at 30 s, so a fleet of agents does
  // not reconnect in lockstep after a server restart.
  private readonly backoff = new Backoff(() => this.connect(), { firstMs: 500, maxMs: 30_000, jitter: true, unref: true });
  private ready = false;

  constructor(
    private readonly driver: HypervisorDriver,
    private readonly opts: LinkOptions,
  ) {
    driver.onEvent((e) => this.sendEvent(e));
    opts.containers?.driver.onEvent((e) => this.sendEvent(e));
  }

  start(): void {
    this.connect();
  }

  async stop(): Promise<void> {
    this.backoff.stop();
    this.ws?.close(1000, "agent stopping");
  }

  private log(msg: string): void {
    (this.opts.log ?? ((m: string) => console.log(`[agent] ${m}`)))(msg);
  }

  private connect(): void {
    const url = this.opts.serverUrl.replace(/^http/, "ws").replace(/\/$/, "") + "/ws/agent";
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${this.opts.credential}` }, maxPayload: MAX_FRAME_BYTES, handshakeTimeout: 10_000 });
    this.ws = ws;
    ws.on("open", () => void this.onOpen(ws));
    ws.on("message", (data) => void this.onMessage(ws, String(data)));
    ws.on("unexpected-response", (_req, res) => {
      this.log(`server refused the connection: HTTP ${res.statusCode}`);
      res.resume();
      if (res.statusCode === 401) this.log("the host credential was rejected: re-enroll this host from the Hosts page");
    });
    ws.on("error", (err) => this.log(`connection error: ${err.message}`));
    ws.on("close", (code, reason) => {
      this.ready = false;
      // Nobody can watch while we are apart; the server sends the set again on welcome.
      this.opts.metrics?.watch([]);
      if (this.ws === ws) this.ws = null;
      if (this.backoff.stopped) return;
      this.log(`disconnected (${code}${reason.length ? ` ${reason.toString()}` : ""})`);
      this.backoff.schedule();
    });
  }

  private async onOpen(ws: WebSocket): Promise<void> {
    this.backoff.succeeded();
    this.log("connected to server");
    const facts = await this.opts.facts();
    ws.send(JSON.stringify({ type: "hello", protocol: PROTOCOL_VERSION, agentVersion: this.opts.agentVersion, facts }));
  }

  private async onMessage(ws: WebSocket, raw: string): Promise<void> {
    const parsed = parseFrame(ServerFrame, raw);
    if (!parsed.ok) {
      this.log(`rejected frame from server: ${parsed.error.message}`);
      if (parsed.id !== null) ws.send(JSON.stringify({ type: "res", id: parsed.id, ok: false, error: parsed.error }));
      else ws.send(JSON.stringify({ type: "error", error: parsed.error }));
      return;
    }
    const f = parsed.frame;
    if (f.type === "welcome") {
      this.ready = true;
      this.log(`registered as host ${f.hostId}`);
      // Resync: the server's view may be stale after our absence.
      this.sendEvent({ kind: "libvirt.status", connected: this.driver.connected, error: this.driver.connected ? null : "libvirt is not connected" });
      if (this.driver.connected) {
        try {
          this.sendEvent({ kind: "domain.inventory", domains: await this.driver.listDomains() });
        } catch (err) {
          this.log(`inventory failed: ${(err as Error).message}`);
        }
      }
      const ct = this.opts.containers?.driver;
      if (ct?.connected) {
        try {
          this.sendEvent({ kind: "container.inventory", engine: ct.engine, containers: await ct.list() });
        } catch (err) {
          this.log(`container inventory failed: ${(err as Error).message}`);
        }
      }
      return;
    }
    if (f.type === "error") {
      this.log(`server reported: ${f.error.code}: ${f.error.message}`);
      return;
    }
    const reply = (body: { ok: true; result: unknown } | { ok: false; error: RpcError }) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "res", id: f.id, ...body }));
    };
    if (!(f.method in Methods)) return reply({ ok: false, error: { code: "unknown_method", message: `unknown method ${f.method}` } });
    const method = f.method as MethodName;
    const p = Methods[method].params.safeParse(f.params);
    if (!p.success) return reply({ ok: false, error: { code: "invalid_message", message: `invalid params for ${method}: ${p.error.issues[0]?.path.join(".")} ${p.error.issues[0]?.message}` } });
    try {
      reply({ ok: true, result: await this.dispatch(method, p.data as Record<string, unknown>) });
    } catch (err) {
      const e = err instanceof DriverError ? { code: err.code, message: err.message } : { code: "internal" as const, message: (err as Error).message ?? String(err) };
      reply({ ok: false, error: e });
    }
  }

  private async dispatch(method: MethodName, params: Record<string, unknown>): Promise<unknown> {
    if (CONTAINER_METHODS.has(method)) {
      const c = this.opts.containers;
      if (!c) throw new DriverError("engine_unavailable", "this agent manages no container engine");
      return dispatchContainer(method, params, c.driver, c.streams);
    }
    switch (method) {
      case "host.facts":
        return this.opts.facts();
      case "domain.list":
        return { domains: await this.driver.listDomains() };
      case "domain.get":
        return this.driver.getDomain(params.uuid as string);
      case "domain.action": {
        const p = params as { uuid: string; action: Parameters<HypervisorDriver["domainAction"]>[1]; removeStorage?: boolean; enabled?: boolean };
        return { domain: await this.driver.domainAction(p.uuid, p.action, { removeStorage: p.removeStorage, enabled: p.enabled }) };
      }
      case "metrics.watch":
        return { watching: this.opts.metrics?.watch(params.targets as string[]) ?? 0 };
      case "agent.stats": {
        const m = this.opts.metrics?.snapshot() ?? { watched: [], ticks: 0, fineSamples: 0, coarseSamples: 0, lastTickMs: 0 };
        const cpu = process.cpuUsage();
        return { ...m, rssBytes: process.memoryUsage.rss(), cpuSeconds: (cpu.user + cpu.system) / 1e6 };
      }
      case "console.open": {
        const p = params as unknown as ConsoleOpenParams;
        const { domain } = await this.driver.getDomain(p.uuid);
        return openConsole(this.opts.serverUrl, this.opts.credential, domain, p, this.opts.serial);
      }
    }
  }

  sendEvent(event: AgentEvent): void {
    const ws = this.ws;
    // Events while not registered are dropped: the inventory after "welcome" covers them.
    if (!ws || !this.ready || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ type: "event", at: Date.now(), event }));
  }
}
