import { describe, expect, it } from "vitest";
import type { ContainerSummary, DomainSummary } from "../../protocol";
import { verdict, type UnsettledTask } from "./reconcile";

const UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";
const CID = "a".repeat(64);
// Only the fields the verdicts read; the rest of a row does not matter here.
const dom = (over: Partial<DomainSummary>) =>
  new Map([[UUID, { uuid: UUID, name: "vm1", state: "shutoff", autostart: false, ...over } as DomainSummary]]);
const ctr = (over: Partial<ContainerSummary>) => new Map([[CID, { id: CID, name: "web", state: "exited", ...over } as ContainerSummary]]);
const task = (kind: string, targetType: string, input: unknown = {}): UnsettledTask => ({
  kind,
  targetType,
  targetId: targetType === "vm" ? UUID : CID,
  targetName: "x",
  inputJson: JSON.stringify(input),
});

describe("reconcile verdicts", () => {
  it("machines: the state proves a start, a stop, a pause; an absent machine proves an undefine", () => {
    expect(verdict(task("vm.start", "vm"), { domains: dom({ state: "running" }) })).toMatchObject({ status: "succeeded", state: "running" });
    expect(verdict(task("vm.start", "vm"), { domains: dom({ state: "shutoff" }) })).toMatchObject({ status: "failed", state: "shutoff" });
    expect(verdict(task("vm.destroy", "vm"), { domains: dom({ state: "shutoff" }) })).toMatchObject({ status: "succeeded" });
    expect(verdict(task("vm.suspend", "vm"), { domains: dom({ state: "paused" }) })).toMatchObject({ status: "succeeded" });
    expect(verdict(task("vm.undefine", "vm"), { domains: new Map() })).toMatchObject({ status: "succeeded", state: "gone" });
    expect(verdict(task("vm.start", "vm"), { domains: new Map() })).toMatchObject({ status: "failed", state: "gone" });
  });

  it("machines: autostart is judged by the flag asked for; a reboot of a running machine cannot be confirmed", () => {
    expect(verdict(task("vm.autostart", "vm", { enabled: true }), { domains: dom({ autostart: true }) })).toMatchObject({ status: "succeeded" });
    expect(verdict(task("vm.autostart", "vm", { enabled: true }), { domains: dom({ autostart: false }) })).toMatchObject({ status: "failed" });
    expect(verdict(task("vm.reboot", "vm"), { domains: dom({ state: "running" }) })).toMatchObject({ status: "unknown" });
    expect(verdict(task("vm.reboot", "vm"), { domains: dom({ state: "shutoff" }) })).toMatchObject({ status: "failed" });
  });

  it("containers: judged from the container inventory; create by name; images cannot be confirmed", () => {
    expect(verdict(task("container.start", "container"), { containers: ctr({ state: "running" }) })).toMatchObject({ status: "succeeded" });
    expect(verdict(task("container.stop", "container"), { containers: ctr({ state: "running" }) })).toMatchObject({
      status: "failed",
      state: "running",
    });
    expect(verdict(task("container.remove", "container"), { containers: new Map() })).toMatchObject({ status: "succeeded", state: "gone" });
    expect(verdict(task("container.create", "container", { name: "web" }), { containers: ctr({}) })).toMatchObject({ status: "succeeded" });
    expect(verdict(task("container.create", "container", { name: "db" }), { containers: ctr({}) })).toMatchObject({ status: "failed" });
    expect(verdict(task("image.pull", "image"), { containers: new Map() })).toMatchObject({ status: "unknown" });
  });

  it("machines: a create is confirmed by a machine with its name, and failed when none has it", () => {
    const create = { ...task("vm.create", "vm", { name: "vm1" }), targetId: "vm1" };
    expect(verdict(create, { domains: dom({ state: "running" }) })).toMatchObject({ status: "succeeded", state: "running" });
    expect(verdict({ ...create, targetId: "vm2" }, { domains: dom({}) })).toMatchObject({ status: "failed", state: "absent" });
    expect(verdict(create, { containers: ctr({}) })).toBeNull();
  });

  it("storage: pool and volume changes cannot be confirmed from the inventory", () => {
    expect(verdict(task("pool.undefine", "pool"), { domains: dom({}) })).toMatchObject({ status: "unknown" });
    expect(verdict(task("volume.create", "volume"), { domains: dom({}) })).toMatchObject({ status: "unknown" });
    expect(verdict(task("volume.delete", "volume"), { containers: ctr({}) })).toBeNull();
  });

  it("a task is judged only by the inventory of its own kind", () => {
    expect(verdict(task("vm.start", "vm"), { containers: ctr({}) })).toBeNull();
    expect(verdict(task("container.start", "container"), { domains: dom({}) })).toBeNull();
  });

  it("volume uploads cannot be confirmed from the inventory (their agent throws a cut-off upload away)", () => {
    expect(verdict(task("volume.upload", "volume", { pool: "p", name: "a.iso" }), { domains: new Map() })).toMatchObject({ status: "unknown" });
    expect(verdict(task("volume.upload", "volume"), { containers: new Map() })).toBeNull();
  });

  it("machines: edits, XML, snapshots, clones and deletions with volumes are never judged from the row", () => {
    for (const kind of ["vm.edit.memory", "vm.edit.autostart", "vm.xml.define", "vm.snapshot.create", "vm.snapshot.revert", "vm.clone", "vm.delete"])
      expect(verdict(task(kind, "vm"), { domains: dom({ state: "running", autostart: true }) })).toMatchObject({ status: "unknown" });
    // Power actions keep their verdicts.
    expect(verdict(task("vm.start", "vm"), { domains: dom({ state: "running" }) })).toMatchObject({ status: "succeeded" });
  });
});
