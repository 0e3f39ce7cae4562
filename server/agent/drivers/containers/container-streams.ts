// Byte streams between a browser and a container, over a data connection the agent dials
// (like the VM consoles): an exec session on a TTY, a live log follow, an image upload.
// The engine's stream and the connection are piped with backpressure both ways.
import type net from "node:net";
import type Docker from "dockerode";
import { dataConnection } from "../../consoles";
import { DriverError } from "../driver";
import { engineError } from "./engine";
import { Demuxer } from "./demux";

interface Channel {
  channel: string;
  token: string;
}

export class ContainerStreams {
  private readonly execs = new Map<string, Docker.Exec>();

  constructor(
    /** The server the agent is connected to now: the one that registered the channel. */
    private readonly serverUrl: () => string,
    private readonly credential: string,
  ) {}

  /** An interactive shell (TTY) in a running container. */
  async exec(docker: Docker, id: string, ch: Channel, cmd: string[], cols = 80, rows = 24): Promise<string> {
    const c = docker.getContainer(id);
    const info = await c.inspect().catch((e: unknown) => Promise.reject(engineError(e, "exec")));
    if (!info.State?.Running) throw new DriverError("invalid_state", `${info.Name.replace(/^\//, "")} is not running`);
    const exec = await c
      // No COLUMNS/LINES here: Podman then pins the TTY to that size and ignores resizes.
      .exec({ Cmd: cmd, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, Env: ["TERM=xterm-256color"] })
      .catch((e: unknown) => Promise.reject(engineError(e, "exec")));
    const stream = (await exec
      .start({ hijack: true, stdin: true, Tty: true })
      .catch((e: unknown) => Promise.reject(engineError(e, "exec")))) as unknown as net.Socket;
    const conn = await dataConnection(this.serverUrl(), this.credential, ch, stream);
    this.execs.set(ch.channel, exec);
    await exec.resize({ h: rows, w: cols }).catch(() => undefined);
    this.join(stream, conn, () => this.execs.delete(ch.channel));
    return `exec:${cmd.join(" ")}`;
  }

  async resize(channel: string, cols: number, rows: number): Promise<void> {
    const exec = this.execs.get(channel);
    if (!exec) throw new DriverError("not_found", "no such exec session");
    // Podman answers a resize with 201 where Docker says 200; dockerode calls that an error.
    await exec
      .resize({ h: rows, w: cols })
      .catch((e: unknown) => ((e as { statusCode?: number }).statusCode === 201 ? undefined : Promise.reject(engineError(e, "resize"))));
  }

  /**
   * Follows a container's logs: each line goes out as "<stream> <timestamp> <text>\n",
   * stream 1 = stdout, 2 = stderr, starting with the last 500 lines.
   */
  async logs(docker: Docker, id: string, ch: Channel): Promise<string> {
    const c = docker.getContainer(id);
    const info = await c.inspect().catch((e: unknown) => Promise.reject(engineError(e, "logs")));
    const src = (await c
      .logs({ stdout: true, stderr: true, follow: true, timestamps: true, tail: 500 })
      .catch((e: unknown) => Promise.reject(engineError(e, "logs")))) as unknown as net.Socket;
    const conn = await dataConnection(this.serverUrl(), this.credential, ch, src);
    const tty = !!info.Config?.Tty;
    const demux = new Demuxer();
    const partial: Record<1 | 2, string> = { 1: "", 2: "" };
    const emit = (stream: 1 | 2, text: string) => {
      const lines = (partial[stream] + text).split("\n");
      partial[stream] = lines.pop() ?? "";
      if (!lines.length) return;
      const ok = conn.write(lines.map((l) => `${stream} ${l.replace(/\r$/, "")}\n`).join(""));
      if (!ok) {
        src.pause();
        conn.once("drain", () => src.resume());
      }
    };
    src.on("data", (chunk: Buffer) => {
      if (tty) emit(1, chunk.toString("utf8"));
      else for (const f of demux.push(chunk)) emit(f.stream, f.data.toString("utf8"));
    });
    const end = () => {
      src.destroy();
      conn.end();
    };
    src.once("end", end);
    src.once("error", end);
    conn.once("close", () => src.destroy());
    conn.on("error", () => src.destroy());
    return `logs:${id.slice(0, 12)}`;
  }

  /** Receives an image tar over the data connection and loads (or imports) it into the engine. */
  async loadImage(docker: Docker, ch: Channel, mode: "load" | "import", name?: string): Promise<string[]> {
    const conn = await dataConnection(this.serverUrl(), this.credential, ch);
    const src = conn as unknown as NodeJS.ReadableStream;
    let ref: string | null = null;
    if (mode === "import") {
      if (!name) throw new DriverError("invalid_input", "import needs an image name");
      // The full reference goes in `repo`: Podman ignores a separate `tag` on import.
      ref = /:[^/]+$/.test(name) ? name : `${name}:latest`;
    }
    const res = (await (ref ? docker.importImage(src, { repo: ref }) : docker.loadImage(src)).catch((e: unknown) => {
      conn.destroy();
      return Promise.reject(engineError(e, mode));
    })) as unknown as NodeJS.ReadableStream;
    const body = await new Promise<string>((resolve, reject) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString("utf8")));
      res.on("end", () => resolve(text));
      res.on("error", reject);
    });
    conn.destroy();
    // The engine answers with JSON lines ({"stream":"Loaded image: …"} or {"error":…}).
    const loaded: string[] = [];
    for (const line of body.split("\n")) {
      if (!line.trim()) continue;
      let msg: { stream?: string; error?: string; errorDetail?: { message?: string } };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        continue;
      }
      if (msg.error) throw new DriverError("invalid_input", `import: ${msg.errorDetail?.message ?? msg.error}`);
      const m = /Loaded image(?: ID)?s?:\s*(.+)/.exec(msg.stream ?? "");
      if (m) loaded.push(...m[1]!.split(/[,\s]+/).filter(Boolean));
      // An import answers with the new image's id as its status.
      if (ref && /^(sha256:)?[0-9a-f]{12,64}$/.test((msg as { status?: string }).status?.trim() ?? "")) loaded.push(ref);
    }
    if (!loaded.length) throw new DriverError("invalid_input", `import: the engine loaded no image (${body.trim().slice(0, 300) || "empty answer"})`);
    return loaded;
  }

  private join(a: net.Socket, b: net.Socket, onEnd: () => void): void {
    a.pipe(b);
    b.pipe(a);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      a.destroy();
      b.destroy();
      onEnd();
    };
    for (const s of [a, b]) {
      s.once("close", end);
      s.once("end", end);
      s.on("error", end);
    }
  }
}
