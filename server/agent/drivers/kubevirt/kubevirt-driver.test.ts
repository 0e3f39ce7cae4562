// The KubeVirt driver against the replay API server (tests/helpers/kube-replay.ts): the
// calls it makes and how it reads the answers, as KubeVirt documents them.
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../../protocol";
import { documentedCluster, fixture, RFB_GREETING, type KubeReplay } from "../../../../tests/helpers/kube-replay";
import { KubevirtDriver } from "./kubevirt-driver";

const RUNNING = "6f1f8a2e-3b1c-4a0e-9d52-8a7c3e2b1f01";
const STOPPED = "9b2d4c6e-8f10-4a12-b345-6c7d8e9f0a02";
const PAUSED = "c3e5a7b9-d1f2-4e34-a567-8b9c0d1e2f03";

async function until<T>(fn: () => T | undefined | null | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("contract: KubeVirt driver against replayed API answers", () => {
  let replay: KubeReplay;
  let driver: KubevirtDriver;
  const events: AgentEvent[] = [];

  async function boot(namespaces: string[] = []) {
    replay = await documentedCluster().start();
    driver = new KubevirtDriver({ kubeconfig: replay.kubeconfig(), namespaces, log: () => undefined });
    driver.onEvent((e) => events.push(e));
    await driver.start();
    // Both watches open before the test pushes events.
    await until(() => replay.watchCount("virtualmachines") > 0 && replay.watchCount("virtualmachineinstances") > 0);
  }

  afterEach(async () => {
    await driver?.stop();
    await replay?.stop();
    events.length = 0;
  });

  it("lists every VM as a kubevirt machine, first as a full inventory; a namespace list narrows it", async () => {
    await boot();
    expect(driver.connected).toBe(true);
    const inv = events.find((e) => e.kind === "domain.inventory");
    expect(inv && inv.kind === "domain.inventory" && inv.domains.map((d) => [d.name, d.state, d.engine])).toEqual([
      ["default/testvm", "running", "kubevirt"],
      ["default/vm-cirros", "shutoff", "kubevirt"],
      ["tenant-a/vm-fedora", "paused", "kubevirt"],
    ]);
    expect((await driver.getDomain(STOPPED)).domain.name).toBe("default/vm-cirros");
    await driver.stop();
    await replay.stop();

    await boot(["tenant-a"]);
    expect((await driver.listDomains()).map((d) => d.uuid)).toEqual([PAUSED]);
  });

  it("actions are PUTs on KubeVirt's subresources; undefine and autostart are refused", async () => {
    await boot();
    await driver.domainAction(STOPPED, "start");
    await driver.domainAction(RUNNING, "destroy");
    await driver.domainAction(RUNNING, "reboot");
    await driver.domainAction(PAUSED, "resume");
    await driver.domainAction(RUNNING, "suspend");
    const base = "/apis/subresources.kubevirt.io/v1/namespaces";
    expect(replay.puts).toEqual([
      { path: `${base}/default/virtualmachines/vm-cirros/start`, body: {} },
      { path: `${base}/default/virtualmachines/testvm/stop`, body: { gracePeriod: 0 } },
      { path: `${base}/default/virtualmachines/testvm/restart`, body: {} },
      { path: `${base}/tenant-a/virtualmachineinstances/vm-fedora/unpause`, body: {} },
      { path: `${base}/default/virtualmachineinstances/testvm/pause`, body: {} },
    ]);
    await expect(driver.domainAction(STOPPED, "undefine")).rejects.toMatchObject({ code: "invalid_state" });
    await expect(driver.domainAction("00000000-0000-4000-8000-000000000000", "start")).rejects.toMatchObject({ code: "not_found" });
    expect(replay.puts).toHaveLength(5);
  });

  it("watch events become domain.changed / domain.removed; a watch the server ends is listed again", async () => {
    await boot();
    const vm = fixture("vm-stopped");
    const vmi = {
      ...fixture("vmi-running"),
      metadata: { ...fixture("vmi-running").metadata, name: "vm-cirros", uid: "11111111-2222-4333-8444-555555555555" },
    };
    const changes = () => events.filter((e) => e.kind === "domain.changed" && e.domain.uuid === STOPPED);
    // VM and VMI watches are two streams with no order between them: one event at a time.
    replay.push("MODIFIED", "virtualmachines", { ...vm, status: { printableStatus: "Starting" } });
    await until(() => changes().length === 1);
    replay.push("ADDED", "virtualmachineinstances", vmi);
    await until(() => changes().length === 2);
    replay.push("MODIFIED", "virtualmachines", { ...vm, status: { printableStatus: "Running" } });
    await until(() => changes().length === 3);
    expect(changes().map((e) => e.kind === "domain.changed" && [e.cause, e.domain.state])).toEqual([
      ["vm-modified", "nostate"],
      ["vmi-added", "nostate"],
      ["vm-modified", "running"],
    ]);
    replay.push("DELETED", "virtualmachines", fixture("vm-paused"));
    await until(() => events.find((e) => e.kind === "domain.removed" && e.uuid === PAUSED && e.name === "tenant-a/vm-fedora"));

    const inventories = () => events.filter((e) => e.kind === "domain.inventory").length;
    expect(inventories()).toBe(1);
    replay.endWatches();
    await until(() => inventories() === 2);
    const last = events.filter((e) => e.kind === "domain.inventory").at(-1);
    expect(last?.kind === "domain.inventory" && last.domains.map((d) => [d.name, d.state])).toEqual([
      ["default/testvm", "running"],
      ["default/vm-cirros", "running"],
    ]);
  });

  it("the VNC subresource answers with the RFB greeting; a VM without a VMI has no display", async () => {
    await boot();
    const { ws, stream } = await driver.vnc(RUNNING);
    expect(ws.protocol).toBe("plain.kubevirt.io");
    // Read after a pause: the greeting, sent with the upgrade, is held and not lost.
    await new Promise((r) => setTimeout(r, 100));
    const first = await new Promise<Buffer>((r) => stream.once("data", (d: Buffer) => r(d)).resume());
    expect(first.toString("latin1")).toBe(RFB_GREETING);
    stream.write(Buffer.from("RFB 003.008\n", "latin1"));
    await until(() => replay.vncReceived.length > 0);
    expect(Buffer.concat(replay.vncReceived).toString("latin1")).toBe(RFB_GREETING);
    stream.destroy();
    await expect(driver.vnc(STOPPED)).rejects.toMatchObject({ code: "invalid_state" });
  });
});
