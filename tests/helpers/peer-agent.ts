// A hand-written protocol peer standing in for an agent, for server-side tests that need
// exact timestamps (history, gaps). It enrolls, says hello, answers metrics.watch and
// records every watch set the server sends. Real agents are tested against real libvirt.
import type WebSocket from "ws";
import { Client } from "./server";
import { nextMessage, tryUpgrade } from "./ws";

export const PEER_FACTS = {
  hostname: "peer",
  os: "Test OS",
  kernel: "6.1",
  arch: "x64",
  cpuCount: 2,
  cpuModel: "cpu",
  memoryBytes: 1e9,
  libvirtVersion: "9.0.0",
  qemuVersion: "7.2.0",
  kvm: { usable: false, reason: "test" },
};

/** A shut-off, deviceless domain as a peer reports it; tests override what they look at. */
export function peerDomain(over: { uuid: string; name: string; memoryKiB?: number }) {
  const memoryKiB = over.memoryKiB ?? 1024;
  return {
    uuid: over.uuid,
    name: over.name,
    id: -1,
    state: "shutoff",
    stateReason: 0,
    vcpus: 1,
    memoryKiB,
    maxMemoryKiB: memoryKiB,
    autostart: false,
    persistent: true,
    virtType: "qemu",
    osType: "hvm",
    graphics: [],
    serials: [],
    disks: [],
    nics: [],
  };
}

export class PeerAgent {
  readonly watches: string[][] = [];
  private constructor(
    readonly ws: WebSocket,
    readonly hostId: string,
    readonly credential: string,
  ) {
    ws.on("message", (d) => {
      const f = JSON.parse(String(d)) as { type: string; id?: number; method?: string; params?: { targets?: string[] } };
      if (f.type !== "req") return;
      if (f.method === "metrics.watch") {
        this.watches.push(f.params?.targets ?? []);
        ws.send(JSON.stringify({ type: "res", id: f.id, ok: true, result: { watching: f.params?.targets?.length ?? 0 } }));
      } else ws.send(JSON.stringify({ type: "res", id: f.id, ok: false, error: { code: "unknown_method", message: "peer" } }));
    });
  }

  /** Adds a host through the API, enrolls and connects. */
  static async enroll(admin: Client, name: string): Promise<PeerAgent> {
    const created = await admin.req("POST", "/api/hosts", { name });
    if (created.status !== 201) throw new Error(`add host: ${created.status}`);
    const enrolled = await new Client(admin.base).req("POST", "/api/agent/enroll", { token: created.json.enrollToken, facts: PEER_FACTS });
    if (enrolled.status !== 200) throw new Error(`enroll: ${enrolled.status} ${JSON.stringify(enrolled.json)}`);
    const credential = enrolled.json.credential as string;
    return PeerAgent.connect(admin.base, created.json.host.id, credential);
  }

  static async connect(base: string, hostId: string, credential: string): Promise<PeerAgent> {
    const up = await tryUpgrade(base, "/ws/agent", { Authorization: `Bearer ${credential}` });
    if (!up.ws) throw new Error(`agent socket refused: ${up.status}`);
    up.ws.send(JSON.stringify({ type: "hello", protocol: 1, agentVersion: "peer", facts: PEER_FACTS }));
    const welcome = await nextMessage(up.ws);
    if (welcome.type !== "welcome") throw new Error(`expected welcome, got ${JSON.stringify(welcome)}`);
    return new PeerAgent(up.ws, hostId, credential);
  }

  event(event: unknown): void {
    this.ws.send(JSON.stringify({ type: "event", at: Date.now(), event }));
  }

  close(): Promise<void> {
    return new Promise((r) => {
      // The server may have closed it already (the host was removed).
      if (this.ws.readyState === this.ws.CLOSED) return r();
      this.ws.once("close", () => r());
      this.ws.close();
    });
  }
}
