// Containers through the Docker Engine API (dockerode): inventory, lifecycle, create,
// rename, logs, images. Changes are pushed from the engine's event stream (never polled);
// when the engine goes away the driver retries with backoff and sends a fresh inventory.
import Docker from "dockerode";
import type { AgentEvent, ContainerAction, ContainerCreateSpec, ContainerState, ContainerSummary, EngineInfo, ImageSummary } from "../../../protocol";
import { CONTAINER_STATES } from "../../../protocol";
import { DriverError, type ContainerEngineDriver } from "../driver";
import { engineError, engineInfo, findSocket } from "./engine";
import { demux } from "./demux";
import { ReconnectingDriver } from "../reconnecting-driver";
import { KeyedQueue } from "../../keyed-queue";

interface ListEntry {
  Id: string;
  Names?: string[];
  Image?: string;
  ImageID?: string;
  Command?: string;
  Created?: number;
  State?: string;
  Status?: string;
  Ports?: { IP?: string; PrivatePort?: number; PublicPort?: number; Type?: string }[];
}

export function toSummary(c: ListEntry): ContainerSummary {
  const status = c.Status ?? "";
  const health = /\(healthy\)/.test(status)
    ? "healthy"
    : /\(unhealthy\)/.test(status)
      ? "unhealthy"
      : /health: starting/.test(status)
        ? "starting"
        : null;
  const state = (CONTAINER_STATES as readonly string[]).includes((c.State ?? "").toLowerCase())
    ? ((c.State ?? "").toLowerCase() as ContainerState)
    : c.State === "configured" || c.State === "stopped"
      ? "exited"
      : "unknown";
  return {
    id: c.Id,
    name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ""),
    image: c.Image ?? "",
    imageId: (c.ImageID ?? "").replace(/^sha256:/, "").slice(0, 128),
    command: (c.Command ?? "").slice(0, 1024),
    state,
    status: status.slice(0, 256),
    createdAt: new Date((c.Created ?? 0) * 1000).toISOString(),
    ports: (c.Ports ?? []).map((p) => ({
      ip: p.IP || null,
      privatePort: p.PrivatePort ?? 0,
      publicPort: p.PublicPort ?? null,
      type: p.Type ?? "tcp",
    })),
    health,
  };
}

export interface ContainerDriverOptions {
  socket: string | null;
  log?: (m: string) => void;
}

export class ContainerDriver extends ReconnectingDriver implements ContainerEngineDriver {
  docker: Docker | null = null;
  engine: EngineInfo | null = null;
  private stream: NodeJS.ReadableStream | null = null;
  private readonly refreshing = new KeyedQueue();
  /** Running containers as last listed or reported by the engine's events (for sampling). */
  private readonly running = new Set<string>();

  constructor(private readonly o: ContainerDriverOptions) {
    super("containers", { firstMs: 500, maxMs: 10_000, unref: true }, o.log);
  }

  get connected(): boolean {
    return this.docker !== null;
  }

  async resync(send: (e: AgentEvent) => void): Promise<void> {
    if (this.connected) send({ kind: "container.inventory", engine: this.engine, containers: await this.list() });
  }

  protected override emit(e: AgentEvent): void {
    if (e.kind === "container.changed") {
      if (e.container.state === "running") this.running.add(e.container.id);
      else this.running.delete(e.container.id);
    } else if (e.kind === "container.removed") this.running.delete(e.id);
    super.emit(e);
  }

  /** Ids of running containers, known without asking the engine. */
  runningIds(): string[] {
    return [...this.running];
  }

  protected async disconnect(): Promise<void> {
    (this.stream as unknown as { destroy?: () => void } | null)?.destroy?.();
  }

  protected async connect(): Promise<void> {
    const socket = findSocket(this.o.socket);
    if (!socket) {
      // No engine on this host is normal: check again now and then, quietly.
      this.backoff.schedule(60_000);
      return;
    }
    const docker = new Docker({ socketPath: socket, timeout: 60_000 });
    try {
      const engine = await engineInfo(docker, socket);
      const stream = (await docker.getEvents({ filters: { type: ["container"] } })) as NodeJS.ReadableStream;
      this.docker = docker;
      this.engine = engine;
      this.stream = stream;
      this.backoff.succeeded();
      this.log(`connected to ${engine.kind} ${engine.version} at ${socket}`);
      this.watch(stream);
      this.emit({ kind: "engine.status", connected: true, engine, error: null });
      this.emit({ kind: "container.inventory", engine, containers: await this.list() });
    } catch (err) {
      const msg = (err as Error).message;
      // Said once per outage, not at every retry.
      this.retry(
        { kind: "engine.status", connected: false, engine: null, error: msg },
        this.backoff.failures === 0 ? `container engine at ${socket} unavailable: ${msg}` : null,
      );
    }
  }

  private watch(stream: NodeJS.ReadableStream): void {
    let buf = "";
    stream.on("data", (chunk: Buffer) => {
      buf += chunk.toString("utf8");
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        try {
          const e = JSON.parse(line) as { Action?: string; status?: string; Actor?: { ID?: string; Attributes?: { name?: string } }; id?: string };
          const id = e.Actor?.ID ?? e.id;
          if (id) this.onContainerEvent(id, e.Action ?? e.status ?? "changed", e.Actor?.Attributes?.name ?? "");
        } catch {
          // A partial or unknown line: the next event resyncs that container.
        }
      }
    });
    const lost = () => {
      if (this.stream !== stream) return;
      this.stream = null;
      this.docker = null;
      this.lost(
        { kind: "engine.status", connected: false, engine: this.engine, error: "event stream closed" },
        "engine event stream closed; reconnecting",
      );
    };
    stream.on("end", lost);
    stream.on("close", lost);
    stream.on("error", lost);
  }

  private onContainerEvent(id: string, action: string, name: string): void {
    this.refreshing.run(id, async () => {
      const docker = this.docker;
      if (!docker) return;
      try {
        const found = await this.summaryOf(id);
        if (found) this.emit({ kind: "container.changed", cause: action.split(":")[0]!.slice(0, 64), container: found });
        else this.emit({ kind: "container.removed", id, name });
      } catch (err) {
        this.log(`refresh of ${name || id} after ${action} failed: ${(err as Error).message}`);
      }
    });
  }

  need(): Docker {
    if (!this.docker) throw new DriverError("engine_unavailable", "no container engine is connected on this host (Podman's or Docker's API socket)");
    return this.docker;
  }

  async list(): Promise<ContainerSummary[]> {
    const list = (await this.need()
      .listContainers({ all: true })
      .catch((e: unknown) => Promise.reject(engineError(e, "list containers")))) as ListEntry[];
    const out = list.filter((c) => /^[0-9a-f]{12,64}$/.test(c.Id)).map(toSummary);
    this.running.clear();
    for (const c of out) if (c.state === "running") this.running.add(c.id);
    return out;
  }

  async summaryOf(id: string): Promise<ContainerSummary | null> {
    const list = (await this.need().listContainers({ all: true, filters: { id: [id] } })) as ListEntry[];
    const c = list.find((x) => x.Id === id || x.Id.startsWith(id));
    return c ? toSummary(c) : null;
  }

  private async summaryOrThrow(id: string): Promise<ContainerSummary> {
    const s = await this.summaryOf(id);
    if (!s) throw new DriverError("not_found", `no container ${id}`);
    return s;
  }

  async inspect(id: string): Promise<{ container: ContainerSummary; inspect: Record<string, unknown> }> {
    const info = (await this.need()
      .getContainer(id)
      .inspect()
      .catch((e: unknown) => Promise.reject(engineError(e, "inspect")))) as unknown as Record<string, unknown>;
    return { container: await this.summaryOrThrow(id), inspect: info };
  }

  async action(id: string, action: ContainerAction, force = false): Promise<ContainerSummary | null> {
    const c = this.need().getContainer(id);
    const run: Record<ContainerAction, () => Promise<unknown>> = {
      start: () => c.start(),
      stop: () => c.stop({ t: 10 }),
      restart: () => c.restart({ t: 10 }),
      pause: () => c.pause(),
      unpause: () => c.unpause(),
      kill: () => c.kill(),
      remove: () => c.remove({ force }),
    };
    await run[action]().catch((e: unknown) => Promise.reject(engineError(e, action)));
    return action === "remove" ? null : this.summaryOrThrow(id);
  }

  async rename(id: string, name: string): Promise<ContainerSummary> {
    await this.need()
      .getContainer(id)
      .rename({ name })
      .catch((e: unknown) => Promise.reject(engineError(e, "rename")));
    const s = await this.summaryOrThrow(id);
    // Some engines raise no event for a rename: push it ourselves.
    this.emit({ kind: "container.changed", cause: "rename", container: s });
    return s;
  }

  /** Creates (and by default starts) a container; a failed start removes it again. */
  async create(spec: ContainerCreateSpec): Promise<ContainerSummary> {
    const docker = this.need();
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp?: string; HostPort: string }[]> = {};
    for (const p of spec.ports ?? []) {
      const key = `${p.containerPort}/${p.protocol}`;
      exposed[key] = {};
      (bindings[key] ??= []).push({ ...(p.hostIp ? { HostIp: p.hostIp } : {}), HostPort: String(p.hostPort) });
    }
    const created = await docker
      .createContainer({
        name: spec.name,
        Image: spec.image,
        Cmd: spec.cmd,
        Env: spec.env,
        ExposedPorts: exposed,
        HostConfig: {
          PortBindings: bindings,
          Binds: (spec.volumes ?? []).map((v) => `${v.source}:${v.target}${v.readOnly ? ":ro" : ""}`),
          RestartPolicy: { Name: spec.restartPolicy === "no" ? "" : spec.restartPolicy },
          ...(spec.memoryBytes ? { Memory: spec.memoryBytes } : {}),
          ...(spec.cpus ? { NanoCpus: Math.round(spec.cpus * 1e9) } : {}),
        },
      })
      .catch((e: unknown) => Promise.reject(engineError(e, "create")));
    if (spec.start) {
      try {
        await created.start();
      } catch (err) {
        // Nothing half-made stays behind: a container that cannot start is removed.
        await created.remove({ force: true }).catch(() => undefined);
        const e = engineError(err, "start");
        // A taken host port is a conflict the admin can fix; other start failures are the spec's.
        throw new DriverError(
          /address already in use|port is already allocated/i.test(e.message) ? "conflict" : e.code === "engine_error" ? "invalid_input" : e.code,
          e.message,
        );
      }
    }
    return this.summaryOrThrow(created.id);
  }

  async logs(id: string, tail: number, timestamps: boolean): Promise<{ text: string; truncated: boolean }> {
    const c = this.need().getContainer(id);
    const info = await c.inspect().catch((e: unknown) => Promise.reject(engineError(e, "logs")));
    const raw = (await c
      .logs({ stdout: true, stderr: true, tail, timestamps, follow: false })
      .catch((e: unknown) => Promise.reject(engineError(e, "logs")))) as unknown as Buffer;
    const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
    let text = info.Config?.Tty
      ? buf.toString("utf8")
      : demux(buf)
          .map((f) => f.data.toString("utf8"))
          .join("");
    // Stay well inside the protocol's frame limit; the newest lines are kept.
    const MAX = 3 * 1024 * 1024;
    const truncated = text.length > MAX;
    if (truncated) text = text.slice(text.length - MAX);
    return { text, truncated };
  }

  async images(): Promise<ImageSummary[]> {
    const list = (await this.need()
      .listImages({ all: false })
      .catch((e: unknown) => Promise.reject(engineError(e, "list images")))) as {
      Id: string;
      RepoTags?: string[] | null;
      Size?: number;
      Created?: number;
      Containers?: number;
    }[];
    return list.map((i) => ({
      id: i.Id.replace(/^sha256:/, ""),
      tags: (i.RepoTags ?? []).filter((t) => t !== "<none>:<none>"),
      size: i.Size ?? 0,
      createdAt: new Date((i.Created ?? 0) * 1000).toISOString(),
      containers: typeof i.Containers === "number" && i.Containers >= 0 ? i.Containers : null,
    }));
  }

  async removeImage(id: string, force = false): Promise<void> {
    await this.need()
      .getImage(id)
      .remove({ force })
      .catch((e: unknown) => Promise.reject(engineError(e, "remove image")));
  }

  async pull(ref: string): Promise<string> {
    const docker = this.need();
    const stream = (await docker.pull(ref).catch((e: unknown) => Promise.reject(engineError(e, "pull")))) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (err: Error | null, out: { error?: string; errorDetail?: { message?: string } }[]) => {
        const failed = err ?? out.find((o) => o.error)?.error;
        if (failed) reject(new DriverError("engine_error", `pull ${ref}: ${typeof failed === "string" ? failed : failed.message}`));
        else resolve();
      });
    });
    return ref;
  }
}
