import { describe, expect, it } from "vitest";
import { MachineListRow, MachineRow } from "../../protocol";
import { MachineQuery, queryMachines, toListRow } from "./machine-query";

const row = (name: string): MachineRow =>
  MachineRow.parse({
    uuid: `00000000-0000-4000-8000-${name.replace(/\D/g, "").padStart(12, "0")}`,
    name,
    id: 1,
    state: "running",
    stateReason: 1,
    vcpus: 2,
    memoryKiB: 65536,
    maxMemoryKiB: 65536,
    autostart: false,
    persistent: true,
    virtType: "kvm",
    osType: "hvm",
    graphics: [{ type: "vnc", port: 5900, listen: "127.0.0.1", socket: null }],
    serials: [{ type: "pty", path: "/dev/pts/3", target: "0" }],
    disks: [{ target: "vda", device: "disk", bus: "virtio", source: "/var/lib/libvirt/images/x.qcow2", format: "qcow2" }],
    nics: [{ mac: "52:54:00:aa:bb:cc", type: "network", source: "default", model: "virtio" }],
    hostId: "h1",
    hostName: "host-1",
    stale: false,
    observedAt: new Date(0).toISOString(),
    tags: name === "vm-2" ? ["web"] : [],
  });

describe("machine list query", () => {
  const rows = [row("vm-10"), row("vm-2"), row("vm-1")];

  it("gives full rows by default and the table's projection with view=table, same order and total", () => {
    const full = queryMachines(rows, MachineQuery.parse({}));
    const table = queryMachines(rows, MachineQuery.parse({ view: "table" }));
    expect(full.rows.map((r) => r.name)).toEqual(["vm-1", "vm-2", "vm-10"]);
    expect(table.rows.map((r) => r.name)).toEqual(["vm-1", "vm-2", "vm-10"]);
    expect(table.total).toBe(full.total);
    expect((full.rows[0] as MachineRow).nics).toHaveLength(1);
    for (const r of table.rows) {
      expect(Object.keys(r).sort()).toEqual(Object.keys(MachineListRow.shape).sort());
      expect(MachineListRow.parse(r)).toEqual(r);
    }
  });

  it("projects a pushed full row onto exactly the table's fields", () => {
    const r = row("vm-7");
    const p = toListRow(r);
    expect(p).toEqual({
      uuid: r.uuid,
      name: "vm-7",
      state: "running",
      vcpus: 2,
      memoryKiB: 65536,
      hostId: "h1",
      hostName: "host-1",
      stale: false,
      observedAt: r.observedAt,
      tags: [],
    });
    expect(JSON.stringify(p).length).toBeLessThan(JSON.stringify(r).length / 2);
  });

  it("filters by tag", () => {
    expect(queryMachines(rows, MachineQuery.parse({ tag: "web" })).rows.map((r) => r.name)).toEqual(["vm-2"]);
    expect(MachineQuery.safeParse({ tag: "Not A Tag" }).success).toBe(false);
  });

  it("still searches by MAC (the server keeps the full rows) in the table view", () => {
    expect(queryMachines(rows, MachineQuery.parse({ q: "52:54:00:aa", view: "table" })).total).toBe(3);
  });

  it("refuses an unknown view", () => {
    expect(MachineQuery.safeParse({ view: "everything" }).success).toBe(false);
  });
});
