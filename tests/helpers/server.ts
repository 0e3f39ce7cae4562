// Starts the real built server (dist/server.js) on a free port with its own database, as
// a separate process, exactly as `npm start` would. Tests talk to it over HTTP/websockets.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface TestServer {
  url: string;
  port: number;
  setupToken: string | null;
  proc: ChildProcess;
  logs: () => string;
  dir: string;
  /** Stops the server; `keep` leaves its database for a restart. */
  stop: (signal?: NodeJS.Signals, keep?: boolean) => Promise<number | null>;
  /** Starts it again on the same port and database (after stop(…, true)). */
  restart: () => Promise<TestServer>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export async function startServer(env: Record<string, string> = {}, same?: { dir: string; port: number }): Promise<TestServer> {
  const root = path.resolve(import.meta.dirname, "..", "..");
  if (!fs.existsSync(path.join(root, "dist", "server.js"))) throw new Error("dist/server.js is missing: run `npm run build` first");
  const dir = same?.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "hangar-test-"));
  const port = same?.port ?? (await freePort());
  let out = "";
  const proc = spawn(process.execPath, [path.join(root, "dist", "server.js")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HANGAR_HOST: "127.0.0.1",
      DATABASE_URL: `file:${path.join(dir, "hangar.db")}`,
      HANGAR_ROOT: root,
      HANGAR_LOCAL_AGENT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!out.includes("[hangar] listening")) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`server did not start in 30 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // The setup line is printed right after "listening" when the database has no user.
  await new Promise((r) => setTimeout(r, 300));
  const token = /setup\?token=([A-Za-z0-9_-]+)/.exec(out)?.[1] ?? null;
  const stop = async (signal: NodeJS.Signals = "SIGTERM", keep = false) => {
    if (proc.exitCode !== null) return proc.exitCode;
    const done = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
    proc.kill(signal);
    const code = await Promise.race([done, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
    if (proc.exitCode === null) proc.kill("SIGKILL");
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    return code;
  };
  const restart = () => startServer(env, { dir, port });
  return { url: `http://127.0.0.1:${port}`, port, setupToken: token, proc, logs: () => out, dir, stop, restart };
}

/** A tiny cookie-keeping client that behaves like a same-origin browser fetch. */
export class Client {
  cookie = "";
  constructor(readonly base: string) {}

  async req(
    method: string,
    p: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: any; headers: Headers }> {
    const h: Record<string, string> = { Origin: this.base, ...headers };
    if (method !== "GET") h["X-Hangar-CSRF"] ??= "1";
    if (this.cookie) h.Cookie = this.cookie;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" ? body : JSON.stringify(body);
      h["Content-Type"] ??= "application/json";
    }
    const res = await fetch(this.base + p, { method, headers: h, body: payload, redirect: "manual" });
    const set = res.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0]!;
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, json, headers: res.headers };
  }
}

export const ADMIN = { username: "admin", password: "correct horse battery staple" };

/** Server + first admin signed in. */
export async function startWithAdmin(env: Record<string, string> = {}): Promise<{ srv: TestServer; admin: Client }> {
  const srv = await startServer(env);
  const admin = new Client(srv.url);
  const r = await admin.req("POST", "/api/setup", { token: srv.setupToken, ...ADMIN });
  if (r.status !== 201) throw new Error(`setup failed: ${r.status} ${JSON.stringify(r.json)}`);
  return { srv, admin };
}
