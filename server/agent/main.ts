// Hangar host agent: `node agent.mjs --server URL --enroll TOKEN` once, then
// `node agent.mjs --server URL` (credential kept in --state, default /var/lib/hangar-agent).
// Dials out to the server; never listens on a port.
import { loadAgentConfig } from "./config";
import { enroll, loadCredential } from "./enrollment";
import { hostFacts } from "./host-facts";
import { ServerLink } from "./server-link";
import { dispatch, type AgentContext } from "./dispatcher";
import { SerialHub } from "./serial-hub";
import { createLibvirtDriver } from "./drivers/libvirt/libvirt-driver";
import { MetricsStreamer } from "./metrics/metrics-streamer";
import { ContainerDriver } from "./drivers/containers/container-driver";
import { ContainerStreams } from "./drivers/containers/container-streams";
import { ContainerSampler } from "./drivers/containers/container-sampler";
import { EngineRouter } from "./drivers/engine-router";

export const AGENT_VERSION = "0.1.0";

async function main(): Promise<void> {
  const cfg = loadAgentConfig(process.argv.slice(2), process.env);
  // Loaded only where a kubeconfig is set: @kubernetes/client-node is the bundle's largest
  // part, and a libvirt-only host (most of a fleet) should not carry it in memory.
  const kubevirt = cfg.kubeconfig
    ? new (await import("./drivers/kubevirt/kubevirt-driver")).KubevirtDriver({ kubeconfig: cfg.kubeconfig, namespaces: cfg.kubevirtNamespaces })
    : null;
  const driver = new EngineRouter(createLibvirtDriver({ uri: cfg.libvirtUri, socketPath: cfg.libvirtSocket }), kubevirt);
  await driver.start();
  const facts = async () =>
    hostFacts(driver.connected ? await driver.versions() : { libvirt: null, qemu: null }, {
      migrationUri: cfg.migrationUri,
      libvirtHostUuid: driver.connected ? await driver.migrations.hostUuid() : null,
    });

  let credential = cfg.credential ?? loadCredential(cfg.stateDir)?.credential ?? null;
  if (cfg.enrollToken) {
    credential = await enroll(cfg.serverUrls, cfg.enrollToken, await facts(), cfg.stateDir);
    console.log(`[agent] enrolled; credential saved in ${cfg.stateDir}`);
  }
  if (!credential) throw new Error("no credential: enroll this host first (--enroll TOKEN from the Hosts page)");

  const serial = new SerialHub({ uri: cfg.libvirtUri, socketPath: cfg.libvirtSocket });
  const containers = new ContainerDriver({ socket: cfg.containerSocket });
  await containers.start();
  let link: ServerLink | null = null;
  const metrics = new MetricsStreamer(driver, (e) => link?.sendEvent(e), cfg.metricsIntervalMs);
  metrics.sources.push(new ContainerSampler(containers));
  // Data channels (consoles, uploads, streams) dial the server the link is on now.
  const serverNow = () => link?.url ?? cfg.serverUrl;
  const streams = new ContainerStreams(serverNow, credential);
  const ctx: AgentContext = {
    facts,
    hypervisor: driver,
    kubevirt,
    containers: { driver: containers, streams },
    metrics,
    serial,
    get serverUrl() {
      return serverNow();
    },
    credential,
  };
  link = new ServerLink({
    serverUrls: cfg.serverUrls,
    credential,
    agentVersion: AGENT_VERSION,
    facts,
    drivers: [driver, containers],
    dispatch: (method, params, scope) => dispatch(method, params, ctx, scope),
    onDisconnect: () => metrics.watch([]),
  });
  link.start();
  metrics.start();

  const stop = async (sig: string) => {
    console.log(`[agent] ${sig}: stopping`);
    metrics.stop();
    await containers.stop();
    await link?.stop();
    await driver.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err: unknown) => {
  console.error(`[agent] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
