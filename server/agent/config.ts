// Agent settings: command-line flags, else environment, else an env file
// (--env-file, default /etc/hangar-agent.env).
import fs from "node:fs";
import { parseArgs } from "node:util";

export interface AgentConfig {
  /** The first of serverUrls: where enrollment goes first. */
  serverUrl: string;
  /**
   * Every server the agent may connect to, tried in turn when one is lost (replicas on one
   * database, decision 0005); one entry for a single server or a load balancer address.
   */
  serverUrls: string[];
  enrollToken: string | null;
  credential: string | null;
  stateDir: string;
  libvirtUri: string;
  libvirtSocket: string | null;
  /** Live sampling interval (ms); history is sampled every 10 s regardless. */
  metricsIntervalMs: number;
  /** Docker-API socket (Podman or Docker); found automatically when unset. */
  containerSocket: string | null;
  /** kubeconfig of a cluster running KubeVirt; null: no KubeVirt engine. */
  kubeconfig: string | null;
  /** KubeVirt namespaces to manage; empty: every namespace the credentials can list. */
  kubevirtNamespaces: string[];
  /**
   * How OTHER hosts' libvirtd reach this host's for live migration (qemu+tcp://10.0.0.2/system,
   * qemu+ssh://root@b/system, …), reported in the host facts; null: not a migration target.
   */
  migrationUri: string | null;
}

function readEnvFile(file: string): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*"?([^"]*)"?\s*$/.exec(line);
    if (m?.[1]) out[m[1]] = m[2] ?? "";
  }
  return out;
}

/** `--server` / HANGAR_SERVER_URL: one address or a comma-separated list, each http(s). */
export function parseServerUrls(raw: string | null): string[] {
  const urls = (raw ?? "")
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  if (!urls.length) throw new Error("--server URL (or HANGAR_SERVER_URL) is required");
  for (const u of urls) {
    let proto = "";
    try {
      proto = new URL(u).protocol;
    } catch {
      // reported below
    }
    if (proto !== "http:" && proto !== "https:") throw new Error(`--server: ${JSON.stringify(u)} is not an http(s) URL`);
  }
  return [...new Set(urls)];
}

export function loadAgentConfig(argv: string[], env: Record<string, string | undefined>): AgentConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      server: { type: "string" },
      enroll: { type: "string" },
      token: { type: "string" },
      state: { type: "string" },
      "libvirt-uri": { type: "string" },
      "libvirt-socket": { type: "string" },
      "env-file": { type: "string" },
      "metrics-interval": { type: "string" },
      "container-socket": { type: "string" },
      kubeconfig: { type: "string" },
      "kubevirt-namespaces": { type: "string" },
      "migration-uri": { type: "string" },
    },
    strict: true,
  });
  const file = readEnvFile(values["env-file"] ?? env.HANGAR_AGENT_ENV_FILE ?? "/etc/hangar-agent.env");
  const pick = (flag: string | undefined, key: string) => flag ?? env[key] ?? file[key] ?? null;
  const serverUrls = parseServerUrls(pick(values.server, "HANGAR_SERVER_URL"));
  const interval = Number(pick(values["metrics-interval"], "HANGAR_METRICS_INTERVAL_MS") ?? 1000);
  // Between 250 ms (cost) and 10 s (the history interval).
  if (!Number.isInteger(interval) || interval < 250 || interval > 10_000)
    throw new Error("--metrics-interval must be an integer number of milliseconds between 250 and 10000");
  return {
    serverUrl: serverUrls[0]!,
    serverUrls,
    metricsIntervalMs: interval,
    containerSocket: pick(values["container-socket"], "HANGAR_CONTAINER_SOCKET"),
    enrollToken: pick(values.enroll ?? values.token, "HANGAR_ENROLL_TOKEN"),
    credential: pick(undefined, "HANGAR_AGENT_CREDENTIAL"),
    stateDir: pick(values.state, "HANGAR_AGENT_STATE") ?? "/var/lib/hangar-agent",
    libvirtUri: pick(values["libvirt-uri"], "HANGAR_LIBVIRT_URI") ?? "qemu:///system",
    libvirtSocket: pick(values["libvirt-socket"], "HANGAR_LIBVIRT_SOCKET"),
    kubeconfig: pick(values.kubeconfig, "HANGAR_KUBECONFIG") || null,
    kubevirtNamespaces: (pick(values["kubevirt-namespaces"], "HANGAR_KUBEVIRT_NAMESPACES") ?? "")
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean),
    migrationUri: pick(values["migration-uri"], "HANGAR_MIGRATION_URI") || null,
  };
}
