import { describe, expect, it } from "vitest";
import type { VmCreateOptions } from "@/server/protocol/vm-spec";
import { defaults, landingTab, toSpec } from "./form-state";

const GiB = 1024 ** 3;
const opts: VmCreateOptions = {
  cpus: 8,
  memoryMiB: 32_000,
  virtType: "kvm",
  uefi: false,
  pools: [
    { name: "small", active: true, available: 5 * GiB, volumes: [] },
    { name: "big", active: true, available: 500 * GiB, volumes: [{ name: "debian.iso", capacity: GiB, iso: true }] },
    { name: "off", active: false, available: 900 * GiB, volumes: [] },
  ],
  networks: [
    { name: "lan", active: true },
    { name: "default", active: true },
  ],
  kernels: ["/boot/vmlinuz"],
  initrds: ["/boot/initrd.gz"],
};

describe("create-VM form", () => {
  it("defaults to what the host has: its ISO, the roomiest active pool, the default network", () => {
    const f = defaults(opts);
    expect(f).toMatchObject({
      bootKind: "cdrom",
      isoPool: "big",
      isoVolume: "debian.iso",
      diskKind: "new",
      diskPool: "big",
      diskGiB: "20",
      network: "default",
    });
    expect(defaults({ ...opts, pools: [], networks: [] })).toMatchObject({ bootKind: "kernel", diskKind: "none", network: "" });
  });

  it("builds the spec in the server's units, or names the fields it can already tell are wrong", () => {
    const f = { ...defaults(opts), name: "web-1", diskGiB: "1.5", memoryMiB: "512" };
    const { spec } = toSpec(f);
    expect(spec).toMatchObject({ name: "web-1", memoryMiB: 512, disk: { kind: "new", pool: "big", sizeBytes: 1536 * 1024 * 1024, format: "qcow2" } });
    expect(toSpec({ ...f, name: " ", vcpus: "0", memoryMiB: "1e3", diskGiB: "" }).errors).toEqual({
      name: expect.any(String),
      vcpus: expect.any(String),
      memoryMiB: expect.any(String),
      "disk.sizeBytes": expect.any(String),
    });
    expect(toSpec({ ...f, bootKind: "disk", diskKind: "none" }).errors).toHaveProperty("disk");
    // The NIC model chosen goes with the network (virtio unless changed); no network, no NIC.
    expect(spec?.network).toEqual({ kind: "network", name: "default", model: "virtio" });
    expect(toSpec({ ...f, nicModel: "e1000" }).spec?.network).toEqual({ kind: "network", name: "default", model: "e1000" });
    expect(toSpec({ ...f, network: "", nicModel: "e1000" }).spec?.network).toEqual({ kind: "none" });
    expect(landingTab({ ...f, bootKind: "kernel" })).toBe("serial");
    expect(landingTab({ ...f, startNow: false })).toBe("overview");
  });
});
