import { describe, expect, it } from "vitest";
import { DomainSummary } from "../../../protocol";
import { fixture } from "../../../../tests/helpers/kube-replay";
import { kubeState, quantityKiB, toDomainSummary, type KubeVirtualMachine, type KubeVirtualMachineInstance } from "./mapping";

const vm = (n: string) => fixture(n) as unknown as KubeVirtualMachine;
const vmi = (n: string) => fixture(n) as unknown as KubeVirtualMachineInstance;

describe("contract: KubeVirt objects as machine rows", () => {
  it("a running VM with its VMI: state, size, devices, uid as uuid, namespace in the name", () => {
    const d = toDomainSummary(vm("vm-running"), vmi("vmi-running"));
    // The agent protocol's own strict schema accepts it.
    expect(DomainSummary.parse(d)).toEqual(d);
    expect(d).toMatchObject({
      uuid: "6f1f8a2e-3b1c-4a0e-9d52-8a7c3e2b1f01",
      engine: "kubevirt",
      name: "default/testvm",
      state: "running",
      vcpus: 1,
      // 64M = 64,000,000 bytes
      memoryKiB: 62500,
      autostart: false,
      graphics: [{ type: "vnc", port: null, listen: null, socket: null }],
      serials: [],
    });
    expect(d.disks).toEqual([
      { target: "containerdisk", device: "disk", bus: "virtio", source: "quay.io/kubevirt/cirros-container-disk-demo", format: null },
      { target: "cloudinitdisk", device: "disk", bus: "virtio", source: "cloudInitNoCloud", format: null },
    ]);
    // The MAC the VMI reports, since the VM spec leaves it to KubeVirt.
    expect(d.nics).toEqual([{ mac: "02:42:ac:11:00:02", type: "masquerade", source: "pod", model: "virtio" }]);
  });

  it("a stopped VM without a VMI: shutoff, vCPUs and Mi memory from the template", () => {
    const d = toDomainSummary(vm("vm-stopped"), null);
    expect(d).toMatchObject({ name: "default/vm-cirros", state: "shutoff", vcpus: 2, memoryKiB: 131072, maxMemoryKiB: 131072, nics: [] });
  });

  it("a paused VM: paused, cores × sockets × threads, guest memory, PVC and data volume sources, runStrategy Always as autostart", () => {
    const d = toDomainSummary(vm("vm-paused"), vmi("vmi-paused"));
    expect(d).toMatchObject({ name: "tenant-a/vm-fedora", state: "paused", vcpus: 4, memoryKiB: 1048576, autostart: true });
    expect(d.disks.map((x) => [x.device, x.bus, x.source])).toEqual([
      ["disk", "virtio", "pvc:fedora-root"],
      ["cdrom", "sata", "dv:fedora-iso"],
    ]);
    expect(d.nics[0]).toMatchObject({ model: "e1000", mac: "02:42:ac:11:00:07" });
  });

  it("state: the VMI's Paused condition wins over a lagging Running, and the VMI phase counts without printableStatus", () => {
    const running = vm("vm-running");
    expect(kubeState(running, vmi("vmi-paused"))).toBe("paused");
    const bare = { ...running, status: {} };
    expect(kubeState(bare, null)).toBe("shutoff");
    expect(kubeState(bare, vmi("vmi-running"))).toBe("running");
    expect(kubeState(bare, { ...vmi("vmi-running"), status: { phase: "Failed" } })).toBe("crashed");
    expect(kubeState(bare, { ...vmi("vmi-running"), status: { phase: "Scheduling" } })).toBe("nostate");
    expect(kubeState({ ...running, status: { printableStatus: "Stopping" } }, null)).toBe("shutdown");
    expect(kubeState({ ...running, status: { printableStatus: "ErrorUnschedulable" } }, null)).toBe("crashed");
    expect(kubeState({ ...running, status: { printableStatus: "Starting" } }, null)).toBe("nostate");
  });

  it("memory quantities", () => {
    expect(quantityKiB("128Mi")).toBe(131072);
    expect(quantityKiB("1Gi")).toBe(1048576);
    expect(quantityKiB("2147483648")).toBe(2097152);
    expect(quantityKiB("1G")).toBe(976563);
    expect(quantityKiB("lots")).toBe(0);
    expect(quantityKiB(undefined)).toBe(0);
  });
});
