// Virtual networks through the whole stack on the real libvirtd: NAT and isolated networks
// defined from typed specs, started (dnsmasq really runs), leases read, autostart toggled,
// stopped and undefined; bad specs refused naming the field with nothing defined; the host
// pieces libvirt lacks (dnsmasq, a bridge) named in the refusal; only admins change networks.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { labSuite, until, virsh } from "../helpers/lab";
import { act } from "../helpers/tasks";

interface NetRow {
  name: string;
  uuid: string;
  active: boolean;
  persistent: boolean;
  autostart: boolean;
  mode: string;
  bridge: string | null;
  ipv4: { address: string; prefix: number } | null;
  dhcp: { start: string; end: string } | null;
}

const PREFIX = "hx-c-";

function virshNetNames(): string[] {
  return virsh("net-list", "--all", "--name")
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
}

labSuite("libvirt", "virtual networks API", () => {
  let srv: TestServer;
  let admin: Client;
  let viewer: Client;
  let operator: Client;
  let hostId: string;
  const nat = `${PREFIX}nat-${process.pid}`;
  const iso = `${PREFIX}iso-${process.pid}`;
  // Subnets picked per run in 172.31.0.0/16, two apart, so parallel runs and other helpers rarely meet.
  const octet = 10 + (process.pid % 120) * 2;
  const natNet = { address: `172.31.${octet}.1`, prefix: 24, dhcpStart: `172.31.${octet}.2`, dhcpEnd: `172.31.${octet}.254` };
  const isoNet = { address: `172.31.${octet + 1}.1`, prefix: 24, dhcpStart: `172.31.${octet + 1}.100`, dhcpEnd: `172.31.${octet + 1}.199` };
  // The agent finds dnsmasq through HANGAR_DNSMASQ, here a symlink the test can take away.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-c-dnsmasq-"));
  const dnsmasqLink = path.join(dir, "dnsmasq");
  // A diskless, never-started machine with a NIC on the NAT network (what the attached list must show).
  const vm = `${PREFIX}vm-${process.pid}`;

  const list = async (c: Client): Promise<NetRow[]> => {
    const r = await c.req("GET", `/api/hosts/${hostId}/networks`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json.networks as NetRow[];
  };
  const row = async (name: string) => (await list(admin)).find((n) => n.name === name);
  const base = () => `/api/hosts/${hostId}/networks`;

  beforeAll(async () => {
    fs.symlinkSync("/usr/sbin/dnsmasq", dnsmasqLink);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1", HANGAR_DNSMASQ: dnsmasqLink }));
    const host = await until("local host online", async () =>
      (await admin.req("GET", "/api/hosts")).json.hosts.find((h: { status: string }) => h.status === "online"),
    );
    hostId = host.id;
    const signIn = async (username: string, role: string) => {
      expect((await admin.req("POST", "/api/users", { username, password: "a long enough password", role })).status).toBe(201);
      const c = new Client(srv.url);
      expect((await c.req("POST", "/api/auth/login", { username, password: "a long enough password" })).status).toBe(200);
      return c;
    };
    viewer = await signIn("vic", "viewer");
    operator = await signIn("olga", "operator");
  }, 60_000);

  afterAll(async () => {
    await srv?.stop();
    try {
      virsh("undefine", vm);
    } catch {
      /* not defined */
    }
    for (const n of virshNetNames().filter((x) => x.startsWith(PREFIX) && x.endsWith(String(process.pid)))) {
      try {
        virsh("net-destroy", n);
      } catch {
        /* not active */
      }
      try {
        virsh("net-undefine", n);
      } catch {
        /* not defined */
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("defines a NAT and an isolated network as tasks: inactive, persistent, read back as specified", async () => {
    const a = await act(admin, base(), { name: nat, mode: "nat", ...natNet });
    expect(a.task, a.task.error ?? "").toMatchObject({ kind: "network.define", status: "succeeded", targetType: "network", targetName: nat });
    const b = await act(admin, base(), { name: iso, mode: "isolated", ...isoNet });
    expect(b.task, b.task.error ?? "").toMatchObject({ status: "succeeded" });
    expect(await row(nat)).toMatchObject({
      active: false,
      persistent: true,
      autostart: false,
      mode: "nat",
      ipv4: { address: natNet.address, prefix: 24 },
      dhcp: { start: natNet.dhcpStart, end: natNet.dhcpEnd },
    });
    expect(await row(iso)).toMatchObject({ active: false, mode: "isolated", ipv4: { address: isoNet.address, prefix: 24 } });
    // libvirt's own view: NAT forwards, isolated has no <forward> at all.
    expect(virsh("net-dumpxml", nat)).toMatch(/<forward mode='nat'/);
    expect(virsh("net-dumpxml", iso)).not.toMatch(/<forward/);
    expect(virsh("net-dumpxml", iso)).toContain(`<range start='${isoNet.dhcpStart}' end='${isoNet.dhcpEnd}'`);
  });

  it("starts both: bridges come up with the host's address and dnsmasq serves them; leases answer", async () => {
    for (const n of [nat, iso]) {
      const r = await act(admin, `${base()}/${n}/actions`, { action: "start" });
      expect(r.task, r.task.error ?? "").toMatchObject({ kind: "network.start", status: "succeeded" });
      const now = (await row(n))!;
      expect(now.active).toBe(true);
      expect(now.bridge).toMatch(/^virbr\d+$/);
      expect(fs.existsSync(`/sys/class/net/${now.bridge}/bridge`)).toBe(true);
      // dnsmasq was started by libvirt with this network's config file.
      expect(fs.readFileSync(`/var/lib/libvirt/dnsmasq/${n}.conf`, "utf8")).toContain(`interface=${now.bridge}`);
      const leases = await viewer.req("GET", `${base()}/${n}/leases`);
      expect(leases.status, JSON.stringify(leases.json)).toBe(200);
      // No guest has asked for an address.
      expect(leases.json).toEqual({ leases: [] });
    }
    expect(virsh("net-info", nat)).toMatch(/Active:\s+yes/);
    // Starting a running network is libvirt's refusal, answered at once.
    const again = await admin.req("POST", `${base()}/${nat}/actions`, { action: "start" });
    expect(again.status, JSON.stringify(again.json)).toBe(409);
  });

  it("lists the machines with a NIC on each network, from the inventory", async () => {
    const file = path.join(dir, "vm.xml");
    fs.writeFileSync(
      file,
      `<domain type='qemu'><name>${vm}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><interface type='network'><source network='${nat}'/></interface></devices></domain>`,
    );
    virsh("define", file);
    const uuid = virsh("domuuid", vm).trim();
    const r = await until("machine attached to the NAT network", async () => {
      const l = await admin.req("GET", base());
      return l.json.attached?.[nat]?.length ? l.json : null;
    });
    expect(r.attached[nat]).toEqual([{ uuid, name: vm, state: "shutoff" }]);
    expect(r.attached[iso]).toEqual([]);
  });

  it("toggles autostart", async () => {
    const on = await act(admin, `${base()}/${nat}/actions`, { action: "autostart", enabled: true });
    expect(on.task, on.task.error ?? "").toMatchObject({ kind: "network.autostart", status: "succeeded" });
    expect((await row(nat))?.autostart).toBe(true);
    expect(virsh("net-info", nat)).toMatch(/Autostart:\s+yes/);
    await act(admin, `${base()}/${nat}/actions`, { action: "autostart", enabled: false });
    expect((await row(nat))?.autostart).toBe(false);
    expect(virsh("net-info", nat)).toMatch(/Autostart:\s+no/);
  });

  it("stops a network; without dnsmasq, starting it again is refused naming dnsmasq and its package", async () => {
    const stop = await act(admin, `${base()}/${iso}/actions`, { action: "stop" });
    expect(stop.task, stop.task.error ?? "").toMatchObject({ kind: "network.stop", status: "succeeded" });
    expect((await row(iso))?.active).toBe(false);
    fs.rmSync(dnsmasqLink);
    try {
      const r = await admin.req("POST", `${base()}/${iso}/actions`, { action: "start" });
      expect(r.status, JSON.stringify(r.json)).toBe(409);
      expect(r.json.error.message).toMatch(/dnsmasq is not installed on host .+ \(Debian: apt-get install dnsmasq-base\)/);
      expect((await row(iso))?.active).toBe(false);
    } finally {
      fs.symlinkSync("/usr/sbin/dnsmasq", dnsmasqLink);
    }
  });

  it("refuses bad specs with 422 naming the field, and defines nothing", async () => {
    const bad = `${PREFIX}bad-${process.pid}`;
    const net = { mode: "nat", address: "172.30.9.1", prefix: 24, dhcpStart: "172.30.9.2", dhcpEnd: "172.30.9.254" };
    for (const [body, field] of [
      [{ ...net, name: `${PREFIX}a/b-${process.pid}` }, "name"],
      [{ ...net, name: `${PREFIX}${"x".repeat(200)}-${process.pid}` }, "name"],
      [{ ...net, name: bad, dhcpStart: "172.30.10.2" }, "dhcpStart"],
      [{ ...net, name: bad, dhcpEnd: "10.0.0.9" }, "dhcpEnd"],
      [{ ...net, name: bad, dhcpStart: "172.30.9.200", dhcpEnd: "172.30.9.20" }, "dhcpEnd"],
      [{ ...net, name: bad, dhcpStart: "172.30.9.1" }, "dhcpStart"],
      [{ ...net, name: bad, prefix: 33 }, "prefix"],
      [{ ...net, name: bad, address: "172.30.9.0" }, "address"],
      [{ ...net, name: bad, address: "300.1.1.1" }, "address"],
      [{ ...net, name: bad, dhcpEnd: undefined }, "dhcpEnd"],
      [{ ...net, name: bad, mode: "route" }, "mode"],
      [{ name: bad, mode: "bridge", bridge: "br/0" }, "bridge"],
      [{ name: bad, mode: "bridge", bridge: "a-very-long-bridge" }, "bridge"],
      [{ ...net, name: bad, extra: 1 }, "extra"],
    ] as const) {
      const r = await admin.req("POST", base(), body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(r.json.error.fields ?? {}).join(","), JSON.stringify(r.json)).toContain(field);
    }
    expect(virshNetNames().filter((n) => n.includes(`-${process.pid}`) && n !== nat && n !== iso)).toEqual([]);
    expect((await list(admin)).filter((n) => n.name.startsWith(`${PREFIX}bad`) || n.name.includes("a/b"))).toEqual([]);
  });

  it("bridge mode joins an existing host bridge: listed among the host's bridges, defined, started, undefined", async () => {
    // A real Linux bridge made for the test (at most 15 characters), as an admin's br0 would be.
    const br = `hxcbr${process.pid % 100_000}`;
    const name = `${PREFIX}brok-${process.pid}`;
    execFileSync("ip", ["link", "add", br, "type", "bridge"]);
    try {
      const listed = await admin.req("GET", base());
      expect(listed.json.bridges).toContain(br);
      // The NAT network's own virbrN is a bridge of the host too.
      expect(listed.json.bridges).toContain((await row(nat))!.bridge);
      const d = await act(admin, base(), { name, mode: "bridge", bridge: br });
      expect(d.task, d.task.error ?? "").toMatchObject({ status: "succeeded" });
      expect(await row(name)).toMatchObject({ mode: "bridge", bridge: br, ipv4: null, dhcp: null, active: false });
      expect(virsh("net-dumpxml", name)).toMatch(/<forward mode='bridge'/);
      const s = await act(admin, `${base()}/${name}/actions`, { action: "start" });
      expect(s.task, s.task.error ?? "").toMatchObject({ status: "succeeded" });
      expect((await row(name))?.active).toBe(true);
      // The bridge vanishes while the network is stopped: starting again names it.
      await act(admin, `${base()}/${name}/actions`, { action: "stop" });
      execFileSync("ip", ["link", "del", br]);
      const again = await admin.req("POST", `${base()}/${name}/actions`, { action: "start" });
      expect(again.status, JSON.stringify(again.json)).toBe(409);
      expect(again.json.error.message).toMatch(new RegExp(`^bridge: bridge ${br} does not exist on host `));
      const u = await admin.req("DELETE", `${base()}/${name}`);
      expect(u.status, JSON.stringify(u.json)).toBe(200);
      expect(virshNetNames()).not.toContain(name);
    } finally {
      try {
        execFileSync("ip", ["link", "del", br], { stdio: "ignore" });
      } catch {
        /* already gone */
      }
    }
  });

  it("bridge mode with a bridge the host lacks: 422 naming the bridge, nothing defined", async () => {
    const name = `${PREFIX}br-${process.pid}`;
    const r = await admin.req("POST", base(), { name, mode: "bridge", bridge: "hxcnobr9" });
    expect(r.status, JSON.stringify(r.json)).toBe(422);
    expect(r.json.error.message).toMatch(/^bridge: bridge hxcnobr9 does not exist on host /);
    // An interface that is no bridge is named as such.
    const lo = await admin.req("POST", base(), { name, mode: "bridge", bridge: "lo" });
    expect(lo.status, JSON.stringify(lo.json)).toBe(422);
    expect(lo.json.error.message).toMatch(/lo on host .+ is not a bridge/);
    expect(virshNetNames()).not.toContain(name);
  });

  it("refuses a taken name and an overlapping subnet (409), an unknown network (404)", async () => {
    const taken = await admin.req("POST", base(), { name: nat, mode: "isolated", address: "172.30.77.1", prefix: 24 });
    expect(taken.status, JSON.stringify(taken.json)).toBe(409);
    expect(taken.json.error.message).toContain(`a network named ${nat} already exists`);
    const other = `${PREFIX}ovl-${process.pid}`;
    const overlap = await admin.req("POST", base(), { name: other, mode: "isolated", address: `172.31.${octet}.129`, prefix: 25 });
    expect(overlap.status, JSON.stringify(overlap.json)).toBe(409);
    expect(overlap.json.error.message).toMatch(new RegExp(`^address: 172\\.31\\.${octet}\\.128/25 overlaps network ${nat}`));
    expect(virshNetNames()).not.toContain(other);
    for (const [method, p, body] of [
      ["POST", `${base()}/hx-c-none/actions`, { action: "start" }],
      ["DELETE", `${base()}/hx-c-none`, undefined],
      ["GET", `${base()}/hx-c-none/leases`, undefined],
    ] as const) {
      const r = await admin.req(method, p, body);
      expect(r.status, `${method} ${p} ${JSON.stringify(r.json)}`).toBe(404);
    }
    const badAction = await admin.req("POST", `${base()}/${nat}/actions`, { action: "autostart" });
    expect(badAction.status).toBe(422);
    expect(badAction.json.error.fields).toHaveProperty("enabled");
  });

  it("only network.manage (admins) may change networks: operators and viewers get 403, nothing changes; viewers read", async () => {
    const other = `${PREFIX}role-${process.pid}`;
    for (const c of [operator, viewer]) {
      expect((await c.req("POST", base(), { name: other, mode: "isolated", address: "172.30.88.1", prefix: 24 })).status).toBe(403);
      expect((await c.req("POST", `${base()}/${nat}/actions`, { action: "stop" })).status).toBe(403);
      expect((await c.req("DELETE", `${base()}/${nat}`)).status).toBe(403);
    }
    expect(virshNetNames()).not.toContain(other);
    expect(virsh("net-info", nat)).toMatch(/Active:\s+yes/);
    expect((await list(viewer)).find((n) => n.name === nat)?.active).toBe(true);
    expect((await list(operator)).find((n) => n.name === nat)?.active).toBe(true);
    expect((await new Client(srv.url).req("GET", base())).status).toBe(401);
  });

  it("refuses to stop or undefine a network running machines use (409 naming them) unless force=1", async () => {
    virsh("start", vm);
    try {
      await until("machine running in the inventory", async () => {
        const l = await admin.req("GET", base());
        return l.json.attached?.[nat]?.[0]?.state === "running";
      });
      const stop = await admin.req("POST", `${base()}/${nat}/actions`, { action: "stop" });
      expect(stop.status, JSON.stringify(stop.json)).toBe(409);
      expect(stop.json.error.message).toContain(`network ${nat} is used by running machines: ${vm}`);
      expect(stop.json.error.fields.network).toContain(vm);
      const del = await admin.req("DELETE", `${base()}/${nat}`);
      expect(del.status, JSON.stringify(del.json)).toBe(409);
      expect(del.json.error.message).toContain(vm);
      // Nothing was done: still defined and active, and no task was recorded for the refusals.
      expect(virsh("net-info", nat)).toMatch(/Active:\s+yes/);
      const tasks = (await admin.req("GET", "/api/tasks")).json.tasks as { kind: string; targetName: string }[];
      expect(tasks.filter((t) => t.targetName === nat && (t.kind === "network.stop" || t.kind === "network.undefine"))).toEqual([]);
      expect((await admin.req("POST", `${base()}/${nat}/actions?force=2`, { action: "stop" })).status).toBe(422);
      // Forced: the network stops under the running machine.
      const forced = await act(admin, `${base()}/${nat}/actions?force=1`, { action: "stop" });
      expect(forced.task, forced.task.error ?? "").toMatchObject({ kind: "network.stop", status: "succeeded" });
      expect(virsh("net-info", nat)).toMatch(/Active:\s+no/);
    } finally {
      virsh("destroy", vm);
    }
    // A stopped machine does not hold the network: starting and stopping it again is plain.
    expect((await act(admin, `${base()}/${nat}/actions`, { action: "start" })).task.status).toBe("succeeded");
  });

  it("undefines an active network (stopping it first) and an inactive one", async () => {
    const bridge = (await row(nat))!.bridge!;
    for (const n of [nat, iso]) {
      const r = await admin.req("DELETE", `${base()}/${n}`);
      expect([200, 202], JSON.stringify(r.json)).toContain(r.status);
      await until(`${n} gone`, async () => !(await row(n)));
    }
    expect(virshNetNames()).not.toContain(nat);
    expect(virshNetNames()).not.toContain(iso);
    expect(fs.existsSync(`/sys/class/net/${bridge}`)).toBe(false);
  });
});
