// What a network needs from the host besides libvirt, checked by the agent before it asks
// libvirt, so the refusal names the missing piece instead of libvirt's generic error:
// dnsmasq (DHCP/DNS of NAT and isolated networks with an address) and, for bridge mode,
// the Linux bridge itself (libvirt starts a bridge-mode network whose bridge is absent
// without complaint; only a guest attaching to it fails, much later).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Where dnsmasq is: HANGAR_DNSMASQ when set (an exact path; tests point it at a missing
 * file to see the refusal), else the first hit in PATH and the sbin directories libvirtd
 * searches (an agent started with a user PATH may lack /usr/sbin).
 */
export function findDnsmasq(env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env.HANGAR_DNSMASQ;
  const candidates = override
    ? [override]
    : [...(env.PATH ?? "").split(":").filter(Boolean), "/usr/sbin", "/sbin", "/usr/local/sbin"].map((d) => path.join(d, "dnsmasq"));
  for (const c of candidates) {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      if (fs.statSync(c).isFile()) return c;
    } catch {
      /* not here */
    }
  }
  return null;
}

export function dnsmasqMissing(): string {
  return `dnsmasq is not installed on host ${os.hostname()} (Debian: apt-get install dnsmasq-base); NAT and isolated networks with an address need it for DHCP and DNS`;
}

/** The host's Linux bridges (interfaces with a bridge/ directory in sysfs), sorted. */
export function listBridges(): string[] {
  try {
    return fs
      .readdirSync("/sys/class/net")
      .filter((n) => fs.existsSync(path.join("/sys/class/net", n, "bridge")))
      .sort();
  } catch {
    return [];
  }
}

/** null when `name` is a Linux bridge on this host, else why not (absent, or an interface that is no bridge). */
export function bridgeProblem(name: string): string | null {
  const dir = path.join("/sys/class/net", name);
  if (!fs.existsSync(dir)) return `bridge ${name} does not exist on host ${os.hostname()}`;
  if (!fs.existsSync(path.join(dir, "bridge")))
    return `${name} on host ${os.hostname()} is not a bridge (bridge mode needs a Linux bridge, e.g. br0 with the uplink enslaved)`;
  return null;
}
