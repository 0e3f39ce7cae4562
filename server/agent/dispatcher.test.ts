// The dispatcher against real drivers that have no daemon to talk to (never started): what
// reaches a handler, what is refused before, and that errors keep their codes.
import { afterAll, describe, expect, it } from "vitest";
import { METHOD_NAMES, Methods } from "../protocol";
import { dispatch, handlers, type AgentContext } from "./dispatcher";
import { LibvirtDriver } from "./drivers/libvirt/libvirt-driver";
import { ContainerDriver } from "./drivers/containers/container-driver";
import { ContainerStreams } from "./drivers/containers/container-streams";
import { SerialHub } from "./serial-hub";
import { MetricsStreamer } from "./metrics/metrics-streamer";
import { hostFacts } from "./host-facts";

const quiet = () => undefined;
const hypervisor = new LibvirtDriver({ uri: "qemu:///system", socketPath: "/nonexistent/libvirt-sock", log: quiet });
const engine = new ContainerDriver({ socket: "/nonexistent/podman.sock", log: quiet });
const base: AgentContext = {
  facts: async () => hostFacts({ libvirt: null, qemu: null }),
  hypervisor,
  containers: null,
  metrics: null,
  serial: new SerialHub({ uri: "qemu:///system", socketPath: "/nonexistent/libvirt-sock" }),
  serverUrl: "http://127.0.0.1:9",
  credential: "x",
};
const withEngine: AgentContext = {
  ...base,
  containers: { driver: engine, streams: new ContainerStreams(() => "http://127.0.0.1:9", "x") },
  metrics: new MetricsStreamer(hypervisor, quiet, 1000),
};
const UUID = "0b1e8d0e-6a4f-4a57-9d8e-2f0c1e7b9a11";

afterAll(async () => {
  await hypervisor.stop();
  await engine.stop();
});

describe("dispatch", () => {
  it("has exactly one handler per protocol method", () => {
    expect(Object.keys(handlers).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it("refuses names that are not methods, including the names every object inherits", async () => {
    for (const name of ["no.such", "toString", "constructor", "__proto__", "hasOwnProperty"]) {
      expect(await dispatch(name, {}, base)).toEqual({ ok: false, error: { code: "unknown_method", message: `unknown method ${name}` } });
    }
  });

  it("refuses invalid params naming the field, before any handler runs", async () => {
    expect(await dispatch("domain.get", { uuid: "not-a-uuid" }, base)).toEqual({
      ok: false,
      error: { code: "invalid_message", message: "invalid params for domain.get: uuid a lowercase UUID" },
    });
    const extra = await dispatch("domain.list", { extra: 1 }, base);
    expect(extra.ok).toBe(false);
    if (!extra.ok) expect(extra.error.code).toBe("invalid_message");
    const tail = await dispatch("container.logs", { id: "a".repeat(12), tail: "10", timestamps: false }, withEngine);
    expect(tail.ok === false && tail.error.message.startsWith("invalid params for container.logs: tail")).toBe(true);
  });

  it("passes a driver's refusal on with its code", async () => {
    expect(await dispatch("domain.list", {}, base)).toEqual({
      ok: false,
      error: { code: "libvirt_unavailable", message: "libvirt (qemu:///system) is not connected" },
    });
    const get = await dispatch("domain.get", { uuid: UUID }, base);
    expect(get.ok === false && get.error.code).toBe("libvirt_unavailable");
    const inspect = await dispatch("container.inspect", { id: "a".repeat(12) }, withEngine);
    expect(inspect.ok === false && inspect.error.code).toBe("engine_unavailable");
  });

  it("answers container and image methods with engine_unavailable when the agent manages no engine", async () => {
    const calls: [string, unknown][] = [
      ["container.list", {}],
      ["container.inspect", { id: "a".repeat(12) }],
      ["container.action", { id: "a".repeat(12), action: "stop" }],
      ["container.resize", { channel: "c".repeat(16), cols: 80, rows: 24 }],
      ["image.list", {}],
      ["image.pull", { ref: "busybox:latest" }],
    ];
    for (const [m, p] of calls) {
      const r = await dispatch(m, p, base);
      expect(r.ok === false && r.error.code, m).toBe("engine_unavailable");
    }
  });

  it("answers with results that the protocol's result schemas accept", async () => {
    const list = await dispatch("container.list", {}, withEngine);
    expect(list).toEqual({ ok: true, result: { engine: null, containers: [] } });
    for (const [m, ctx] of [
      ["host.facts", base],
      ["agent.stats", base],
      ["agent.stats", withEngine],
      ["metrics.watch", withEngine],
    ] as const) {
      const r = await dispatch(m, m === "metrics.watch" ? { targets: [`vm:${UUID}`] } : {}, ctx);
      expect(r.ok, m).toBe(true);
      if (r.ok) expect(Methods[m].result.safeParse(r.result).success, m).toBe(true);
    }
    expect(await dispatch("metrics.watch", { targets: [] }, base)).toEqual({ ok: true, result: { watching: 0 } });
  });
});
