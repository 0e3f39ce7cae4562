// contract: the KubeVirt engine end to end, against the replay API server (no Kubernetes
// API server can run here): the real built server, its local agent (dist/agent.mjs) with
// HANGAR_KUBECONFIG naming the replay server, a browser-like events socket. Rows of both
// engines share the machines table; actions reach KubeVirt as subresource PUTs; watch
// events change rows live; a console ticket reaches the VNC subresource's RFB greeting.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWithAdmin, type Client, type TestServer } from "../helpers/server";
import { EventRecorder } from "../helpers/events";
import { machineAction } from "../helpers/tasks";
import { labSuite, until } from "../helpers/lab";
import { openConsole, ticket } from "../helpers/console";
import { documentedCluster, fixture, RFB_GREETING, type KubeReplay } from "../helpers/kube-replay";

const STOPPED = "9b2d4c6e-8f10-4a12-b345-6c7d8e9f0a02";
const RUNNING = "6f1f8a2e-3b1c-4a0e-9d52-8a7c3e2b1f01";

labSuite("libvirt", "contract: KubeVirt engine through server and agent", () => {
  let replay: KubeReplay;
  let srv: TestServer;
  let admin: Client;
  let ev: EventRecorder;
  let hostId = "";

  beforeAll(async () => {
    replay = await documentedCluster().start();
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_KUBECONFIG: replay.kubeconfig() }));
    ev = await EventRecorder.open(srv.url, admin.cookie);
    hostId = (
      await until("local host online", async () =>
        (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
      )
    ).id;
  }, 120_000);

  afterAll(async () => {
    ev?.close();
    await srv?.stop();
    await replay?.stop();
  });

  it("contract: KubeVirt VMs are rows of GET /api/machines with engine kubevirt, beside the libvirt ones", async () => {
    const rows = await until("kubevirt rows listed", async () => {
      const r = (await admin.req("GET", "/api/machines")).json.rows as { engine: string; name: string }[];
      return r.filter((x) => x.engine === "kubevirt").length === 3 ? r : null;
    });
    const kube = rows.filter((r) => r.engine === "kubevirt");
    expect(kube.map((r) => r.name).sort()).toEqual(["default/testvm", "default/vm-cirros", "tenant-a/vm-fedora"]);
    expect(kube.find((r) => r.name === "default/testvm")).toMatchObject({ uuid: RUNNING, state: "running", hostId, virtType: "kubevirt" });
    // The lab's libvirt guests are still there, as libvirt rows.
    expect(rows.filter((r) => r.engine === "libvirt").length).toBeGreaterThan(0);
    // The table projection carries the engine too.
    const table = (await admin.req("GET", "/api/machines?view=table")).json.rows as { uuid: string; engine: string }[];
    expect(table.find((r) => r.uuid === STOPPED)?.engine).toBe("kubevirt");
  });

  it("contract: start reaches the cluster as PUT …/start; a watch MODIFIED event changes the row over /ws/events", async () => {
    await until("kubevirt row listed", async () =>
      ((await admin.req("GET", "/api/machines")).json.rows as { uuid: string }[]).find((r) => r.uuid === STOPPED),
    );
    const r = await machineAction(admin, hostId, STOPPED, "start", {}, { recorder: ev });
    expect(r.task, r.task.error ?? "").toMatchObject({ kind: "vm.start", status: "succeeded" });
    expect(replay.puts).toContainEqual({ path: "/apis/subresources.kubevirt.io/v1/namespaces/default/virtualmachines/vm-cirros/start", body: {} });

    const mark = ev.mark;
    replay.push("MODIFIED", "virtualmachines", { ...fixture("vm-stopped"), status: { printableStatus: "Running", ready: true } });
    const e = await ev.waitFor("vm-cirros running", ev.machineState("default/vm-cirros", "running"), mark);
    expect(e.type === "machine.upsert" && e.machine).toMatchObject({ uuid: STOPPED, engine: "kubevirt", hostId });
    const row = ((await admin.req("GET", "/api/machines")).json.rows as { uuid: string; state: string }[]).find((x) => x.uuid === STOPPED);
    expect(row?.state).toBe("running");

    // KubeVirt has no undefine from here: refused with the reason, nothing sent to the cluster.
    const puts = replay.puts.length;
    const refused = await machineAction(admin, hostId, STOPPED, "undefine", {}, { recorder: ev }).catch((err: Error) => err);
    expect(refused instanceof Error ? refused.message : refused.task.error).toMatch(/not available for KubeVirt/);
    expect(replay.puts.length).toBe(puts);
  });

  it("contract: libvirt-only edits (snapshots, edit info) are refused for a KubeVirt VM with a 409 naming it", async () => {
    for (const path of ["snapshots", "edit"]) {
      const r = await admin.req("GET", `/api/machines/${hostId}/${RUNNING}/${path}`);
      expect(r.status, `${path}: ${JSON.stringify(r.json)}`).toBe(409);
      expect(r.json.error.fields.uuid).toMatch(/KubeVirt/);
    }
  });

  it("contract: a console ticket for a KubeVirt VM gives the VNC subresource's RFB greeting through server and agent", async () => {
    const t = await ticket(admin, hostId, RUNNING);
    expect(t.status, JSON.stringify(t.json)).toBe(200);
    const c = await openConsole(srv.url, admin.cookie, t.json.protocols);
    expect(c.status).toBe(101);
    expect((await c.first!).toString("latin1")).toBe(RFB_GREETING);
    // And the browser's bytes reach the cluster's VNC socket.
    c.ws!.send(Buffer.from("RFB 003.008\n", "latin1"));
    await until("client version at the VNC subresource", () => Buffer.concat(replay.vncReceived).toString("latin1") === RFB_GREETING);
    expect(replay.vncOpened).toBe(1);
    c.ws!.close();
  });
});
