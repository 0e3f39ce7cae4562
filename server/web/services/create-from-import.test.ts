// The OVF's NIC model (ResourceSubType) picked for the new VM's spec: a model the guest has
// drivers for, from the fixed set a VM spec accepts.
import { describe, expect, it } from "vitest";
import { VmSpec } from "../../protocol";
import { importPlan, importSpec, nicModel } from "./create-from-import";

const imported = (nics: { network: string | null; model: string | null }[]) => ({
  volume: { pool: "p", name: "vm.qcow2", path: "/p/vm.qcow2", capacity: 1 << 20, format: "qcow2" as const },
  sourceFormat: "ova" as const,
  ovf: { name: null, vcpus: 2, memoryMiB: 256, nics, firmware: "bios" as const, disks: [] },
});

describe("OVF NIC model", () => {
  it.each([
    ["E1000", "e1000"],
    ["e1000e", "e1000e"],
    ["VmxNet3", "virtio"],
    ["PCNet32", "rtl8139"],
    ["rtl8139", "rtl8139"],
    [null, "virtio"],
    ["SomethingElse", "virtio"],
  ])("%s becomes %s", (ovf, want) => expect(nicModel(ovf)).toBe(want));

  it("the first NIC's model goes into the VM spec, which the spec's schema accepts", () => {
    const plan = importPlan({ name: "vm", network: "lab" }, imported([{ network: "VM Network", model: "E1000" }]));
    expect(plan.nics).toEqual([{ network: "lab", model: "e1000", sourceNetwork: "VM Network" }]);
    const spec = VmSpec.parse(importSpec(plan, "lab"));
    expect(spec.network).toEqual({ kind: "network", name: "lab", model: "e1000" });
    // The network not active on the host: no NIC rather than a VM that cannot start.
    expect(importSpec(plan, null).network).toEqual({ kind: "none" });
  });

  it("a spec refuses a model outside the fixed set, naming it", () => {
    const r = VmSpec.safeParse({
      name: "vm",
      vcpus: 1,
      memoryMiB: 128,
      boot: { kind: "disk" },
      disk: { kind: "none" },
      network: { kind: "network", name: "lab", model: "vmxnet3" },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["network", "model"]);
  });
});
