// Fake fleets for scale benchmarks, served by libvirt's test driver through the real
// libvirtd (same RPC path as qemu:///system, no guests to boot).
//
// Two ways, because they differ in who sees a change:
//  - writeTestNode: a node XML file for `test:///path.xml`. Every connection to such a URI
//    gets its OWN private copy of the file's domains (checked: a `virsh suspend` on one
//    connection is not seen by another), so only the agent's connection can change them.
//  - DefaultFleet: domains defined into `test:///default`, the one test-driver instance that
//    libvirtd shares between connections (it lives while any connection to it is open). The
//    benchmark's own connection can then change domains behind Hangar's back and receive
//    the same lifecycle events as the agent (a direct subscriber, as a latency origin).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  LibvirtClient,
  LibvirtError,
  connectListAllDomains,
  domainCreate,
  domainDefineXml,
  domainDestroy,
  domainLookupByName,
  domainUndefine,
  type DomainRef,
} from "../server/agent/libvirt";
import { DomainEventId } from "../server/agent/libvirt/procedures";

export const uuidOf = (i: number, prefix = "00000000-0000-4000-8000-") => `${prefix}${i.toString(16).padStart(12, "0")}`;

function domainXml(name: string, uuid: string, devices: boolean): string {
  const dev = devices ? "<devices><graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/><serial type='pty'/></devices>" : "";
  return `<domain type='test'><name>${name}</name><uuid>${uuid}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os>${dev}</domain>`;
}

/** A node file with `n` running domains bench-0…; returns its path (the caller removes it). */
export function writeTestNode(n: number, opts: { tag?: string; devices?: boolean } = {}): string {
  const file = path.join(os.tmpdir(), `hangar-bench-${opts.tag ? `${opts.tag}-` : ""}${n}.xml`);
  const doms = Array.from({ length: n }, (_, i) => domainXml(`bench-${i}`, uuidOf(i), opts.devices ?? true));
  fs.writeFileSync(
    file,
    `<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>1</threads><active>2</active><mhz>2000</mhz><model>x86</model></cpu><memory>25000000</memory>${doms.join("")}</node>`,
  );
  return file;
}

export interface LifecycleSeen {
  name: string;
  uuid: string;
  event: number;
  at: number;
}

/** `n` running domains `<prefix>0…` in test:///default, held by this process's connection. */
export class DefaultFleet {
  static readonly URI = "test:///default";
  readonly lv = new LibvirtClient({ callTimeoutMs: 60_000 });
  readonly doms: DomainRef[] = [];
  private readonly listeners = new Set<(e: LifecycleSeen) => void>();

  private constructor(readonly prefix: string) {}

  static async create(n: number, prefix: string, uuidPrefix: string): Promise<DefaultFleet> {
    const f = new DefaultFleet(prefix);
    await f.lv.connect(DefaultFleet.URI);
    f.lv.on("lifecycle", (e) => {
      const seen = { name: e.dom.name, uuid: e.dom.uuid, event: e.event, at: Date.now() };
      for (const l of f.listeners) l(seen);
    });
    await f.removeOurs(); // left over by a run that died
    const defined = await Promise.all(
      Array.from({ length: n }, (_, i) => domainDefineXml(f.lv, domainXml(`${prefix}${i}`, uuidOf(i, uuidPrefix), true))),
    );
    await Promise.all(defined.map((d) => domainCreate(f.lv, d)));
    f.doms.push(...defined);
    await f.lv.registerDomainEvent(DomainEventId.LIFECYCLE);
    return f;
  }

  /** Lifecycle events of test:///default as this connection receives them (time of receipt). */
  onLifecycle(l: (e: LifecycleSeen) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  async lookup(name: string): Promise<DomainRef> {
    return domainLookupByName(this.lv, name);
  }

  private async removeOurs(): Promise<void> {
    const all = await connectListAllDomains(this.lv, 0);
    await Promise.all(
      all
        .filter((d) => d.name.startsWith(this.prefix))
        .map(async (d) => {
          await domainDestroy(this.lv, d).catch((e: unknown) => {
            if (!(e instanceof LibvirtError)) throw e; // not running
          });
          await domainUndefine(this.lv, d);
        }),
    );
  }

  /** Removes the domains and closes the connection (test:///default is freed with its last connection). */
  async close(): Promise<void> {
    try {
      await this.removeOurs();
    } finally {
      await this.lv.close();
    }
  }
}
