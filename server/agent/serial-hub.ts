// Serial consoles: libvirt allows one console session per domain, so the agent holds one
// stream per VM (on its own libvirt connection, since a stalled console must not stall
// other calls) and fans it out to every viewer's data socket. Any viewer may type. The
// stream is paused while a viewer's socket is over its high-water mark, so a slow browser
// slows the guest's console instead of growing buffers; it is closed with the last viewer.
// Viewers are the raw data connections the server relays to browsers.
import type { Socket } from "node:net";
import { LibvirtClient, domainLookupByUuid, domainOpenConsole, type LibvirtStream } from "./libvirt";
import { ConsoleFlags } from "./libvirt/procedures";

const HIGH_WATER = 1024 * 1024;

interface Entry {
  client: LibvirtClient;
  stream: LibvirtStream;
  viewers: Set<Socket>;
  drainTimer: NodeJS.Timeout | null;
}

export class SerialHub {
  private readonly entries = new Map<string, Promise<Entry>>();

  constructor(private readonly libvirt: { uri: string; socketPath: string | null }) {}

  async attach(uuid: string, viewer: Socket): Promise<void> {
    let p = this.entries.get(uuid);
    if (!p) {
      p = this.open(uuid);
      this.entries.set(uuid, p);
      p.catch(() => this.entries.delete(uuid));
    }
    const e = await p;
    e.viewers.add(viewer);
    viewer.on("data", (data: Buffer) => e.stream.write(data));
    viewer.on("error", () => viewer.destroy());
    viewer.once("end", () => viewer.destroy());
    viewer.once("close", () => {
      e.viewers.delete(viewer);
      if (e.viewers.size === 0) void this.release(uuid, e);
    });
  }

  get openCount(): number {
    return this.entries.size;
  }

  private async open(uuid: string): Promise<Entry> {
    const client = new LibvirtClient({ socketPath: this.libvirt.socketPath ?? undefined });
    client.on("error", () => undefined);
    await client.connect(this.libvirt.uri);
    const dom = await domainLookupByUuid(client, uuid);
    // FORCE: a console left open by a crashed viewer or another tool is taken over.
    const stream = await domainOpenConsole(client, dom, null, ConsoleFlags.FORCE);
    const e: Entry = { client, stream, viewers: new Set(), drainTimer: null };
    stream.on("data", (chunk: Buffer) => {
      let congested = false;
      for (const v of e.viewers) {
        if (v.destroyed) continue;
        v.write(chunk);
        if (v.writableLength > HIGH_WATER) congested = true;
      }
      if (congested && !e.drainTimer) {
        stream.pause();
        e.drainTimer = setInterval(() => {
          if ([...e.viewers].every((v) => v.writableLength < HIGH_WATER / 4)) {
            clearInterval(e.drainTimer!);
            e.drainTimer = null;
            stream.resume();
          }
        }, 20);
      }
    });
    const end = () => {
      for (const v of e.viewers) v.end();
      void this.release(uuid, e);
    };
    stream.on("end", end);
    stream.on("error", end);
    client.on("close", end);
    return e;
  }

  private async release(uuid: string, e: Entry): Promise<void> {
    const current = this.entries.get(uuid);
    if (current && (await current.catch(() => null)) === e) this.entries.delete(uuid);
    if (e.drainTimer) clearInterval(e.drainTimer);
    await e.stream.close().catch(() => undefined);
    await e.client.close().catch(() => undefined);
  }
}
