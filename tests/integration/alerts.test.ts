// Alerts against the real lab: the built server with its local agent and libvirtd, a
// diskless scratch domain destroyed behind Hangar's back with virsh, webhook receivers on
// loopback (one that never answers), a real SMTP server (smtp-server), and a file-system
// rule fed by the host's own metrics.
import { execFileSync, spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AlertNotification, AlertRow, DeliveryRow } from "../../server/protocol/alerts";
import { Client, startWithAdmin, type TestServer } from "../helpers/server";
import { labSuite, until, virsh } from "../helpers/lab";
import { defineScratch, undefineScratch } from "../helpers/scratch-domains";
import { bodyText, startHttpReceiver, startSmtp, signatureValid, type HttpReceiver, type SmtpReceiver } from "../helpers/alert-receivers";

const PREFIX = "hx-alerts-";
const CT = `${PREFIX}ct-1`;
const podman = (...a: string[]) => execFileSync("podman", a, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const removeCt = () => {
  try {
    podman("rm", "-f", "-t", "0", CT);
  } catch {
    /* not there */
  }
};

/** `virsh event` for one domain's lifecycle events, each line stamped when it arrived. */
function lifecycleEvents(name: string) {
  const lines: { at: number; text: string }[] = [];
  const p = spawn("virsh", ["-c", "qemu:///system", "event", "--domain", name, "--event", "lifecycle", "--loop"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  p.stdout.on("data", (d: Buffer) => {
    for (const text of d.toString().split("\n")) if (text.trim()) lines.push({ at: Date.now(), text });
  });
  // virsh registers for events right after it connects; give it that moment.
  const ready = new Promise((r) => setTimeout(r, 500));
  return { lines, ready, stop: () => p.kill() };
}
const VM = `${PREFIX}web-1`;

labSuite(["libvirt", "podman"], "alerts: rules, channels and silences against the real lab", () => {
  let srv: TestServer;
  let admin: Client;
  let good: HttpReceiver;
  let hang: HttpReceiver;
  let ntfy: HttpReceiver;
  let smtp: SmtpReceiver;
  let secret = "";
  let hostId = "";
  let uuid = "";
  let ruleId = "";
  let goodId = "";
  let hangId = "";

  const notes = (r: HttpReceiver, from = 0) => r.hits.slice(from).map((h) => ({ hit: h, n: JSON.parse(h.body) as AlertNotification }));
  const alerts = async (q = "") => (await admin.req("GET", `/api/alerts${q}`)).json as { alerts: AlertRow[]; counts: { firing: number } };
  const vmShows = (state: string) =>
    until(`Hangar shows ${VM} ${state}`, async () =>
      ((await admin.req("GET", "/api/machines")).json.rows as { name: string; state: string }[]).some((r) => r.name === VM && r.state === state),
    );

  beforeAll(async () => {
    undefineScratch(PREFIX);
    removeCt();
    defineScratch(VM);
    [good, hang, ntfy, smtp] = await Promise.all([startHttpReceiver(), startHttpReceiver({ hang: true }), startHttpReceiver(), startSmtp()]);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    hostId = (
      await until("local host online", async () =>
        ((await admin.req("GET", "/api/hosts")).json.hosts as { id: string; status: string }[]).find((h) => h.status === "online"),
      )
    ).id;
    uuid = (
      await until("scratch domain listed", async () =>
        ((await admin.req("GET", "/api/machines")).json.rows as { name: string; uuid: string }[]).find((r) => r.name === VM),
      )
    ).uuid;
  }, 120_000);

  afterAll(async () => {
    await srv?.stop();
    await Promise.all([good?.close(), hang?.close(), ntfy?.close(), smtp?.close()]);
    undefineScratch(PREFIX);
    removeCt();
  });

  it("channels: the webhook secret is answered once, then masked; bad config names the field", async () => {
    const created = await admin.req("POST", "/api/alerts/channels", { name: "good hook", kind: "webhook", config: { url: good.url } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    secret = created.json.secret;
    goodId = created.json.id;
    expect(secret.length).toBeGreaterThanOrEqual(24);
    const hung = await admin.req("POST", "/api/alerts/channels", { name: "hanging hook", kind: "webhook", config: { url: hang.url } });
    hangId = hung.json.id;
    const mail = await admin.req("POST", "/api/alerts/channels", {
      name: "ops mail",
      kind: "email",
      config: { host: "127.0.0.1", port: smtp.port, from: "hangar@lab.test", to: ["ops@lab.test"] },
    });
    expect(mail.status, JSON.stringify(mail.json)).toBe(201);
    const topic = await admin.req("POST", "/api/alerts/channels", {
      name: "ops topic",
      kind: "ntfy",
      config: { url: ntfy.url },
      secret: "tk_ntfy_token",
    });
    expect(topic.status, JSON.stringify(topic.json)).toBe(201);
    const list = (await admin.req("GET", "/api/alerts/channels")).json.channels as { id: string; secret: string }[];
    expect(list.find((c) => c.id === goodId)!.secret).toBe(`••••${secret.slice(-4)}`);
    expect(JSON.stringify(list)).not.toContain(secret);
    const bad = await admin.req("POST", "/api/alerts/channels", { name: "x", kind: "webhook", config: { url: "ftp://x" } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields).toHaveProperty("config.url");
    const badRule = await admin.req("POST", "/api/alerts/rules", { name: "x", kind: "host.cpu", params: { threshold: "high" } });
    expect(badRule.status).toBe(422);
    expect(badRule.json.error.fields).toHaveProperty("params.threshold");

    // The hanging receiver is listed first: it must not hold up the others.
    const rule = await admin.req("POST", "/api/alerts/rules", {
      name: "VM down",
      kind: "vm.stopped",
      channelIds: [hangId, goodId, mail.json.id, topic.json.id],
    });
    expect(rule.status, JSON.stringify(rule.json)).toBe(201);
    ruleId = rule.json.id;
  });

  it("virsh destroy fires within 2 s of libvirt's event, signed, past a hanging receiver; e-mail arrives; start resolves", async () => {
    virsh("start", VM);
    await vmShows("running");
    const mark = good.hits.length;
    // libvirt's own lifecycle event, stamped as a second event client receives it.
    const events = lifecycleEvents(VM);
    await events.ready;
    virsh("destroy", VM);
    const stoppedAt = (await until("libvirt's Stopped event", () => events.lines.find((l) => /Stopped/.test(l.text)), 10_000, 5)).at;
    events.stop();
    const fired = await until("firing webhook", () => notes(good, mark).find((x) => x.n.event === "firing"), 10_000, 10);
    const delay = fired.hit.at - stoppedAt;
    console.log(`[alerts] libvirt Stopped event → webhook: ${delay} ms`);
    expect(delay).toBeLessThan(2000);
    expect(signatureValid(secret, fired.hit)).toBe(true);
    expect(signatureValid("wrong", fired.hit)).toBe(false);
    expect(Number(fired.hit.headers["x-hangar-timestamp"])).toBe(fired.n.sentAt);
    expect(fired.n.alert).toMatchObject({ ruleId, subjectType: "vm", subjectName: VM, hostId, targetId: uuid, state: "firing" });
    expect(fired.n.url).toBe(`${srv.url}/machines/${hostId}/${uuid}`);
    // The hanging receiver is asked too (it just never answers).
    await until("the hanging receiver asked", () => hang.hits.length > 0, 2000, 10);

    const mail = await until("alert e-mail", () => smtp.mails.find((m) => m.subject.includes("FIRING")), 10_000);
    expect(mail.subject).toBe(`[Hangar] FIRING: VM down — ${VM}`);
    expect(mail.to).toEqual(["ops@lab.test"]);
    expect(bodyText(mail.raw)).toContain(`${srv.url}/machines/${hostId}/${uuid}`);

    const post = await until("ntfy post", () => ntfy.hits.find((h) => String(h.headers.title).includes("FIRING")), 10_000);
    expect(post.headers).toMatchObject({
      title: `[Hangar] FIRING: VM down - ${VM}`,
      priority: "high",
      tags: "rotating_light",
      authorization: "Bearer tk_ntfy_token",
    });
    expect(post.headers.click).toBe(`${srv.url}/machines/${hostId}/${uuid}`);
    expect(post.body).toContain("stopped unexpectedly");

    const listed = await alerts("?state=firing");
    expect(listed.alerts.find((a) => a.id === fired.n.alert.id)).toMatchObject({ state: "firing", silenced: false });
    expect(listed.counts.firing).toBeGreaterThanOrEqual(1);

    virsh("start", VM);
    const resolved = await until("resolved webhook", () => notes(good, mark).find((x) => x.n.event === "resolved"), 10_000, 20);
    expect(resolved.n.alert).toMatchObject({ id: fired.n.alert.id, state: "resolved" });
    expect(signatureValid(secret, resolved.hit)).toBe(true);
    expect((await alerts()).alerts.find((a) => a.id === fired.n.alert.id)?.state).toBe("resolved");
  }, 60_000);

  it("the hanging channel's attempt times out and is retried with backoff, in the delivery log", async () => {
    const row = await until(
      "a retrying delivery to the hanging hook",
      async () =>
        ((await admin.req("GET", `/api/alerts/deliveries?channelId=${hangId}`)).json.deliveries as DeliveryRow[]).find(
          (d) => d.status === "retrying",
        ),
      15_000,
      250,
    );
    expect(row.error).toMatch(/no answer in 5000 ms/);
    expect(row.attempt).toBeGreaterThanOrEqual(1);
    expect(new Date(row.nextAttemptAt!).getTime()).toBeGreaterThan(new Date(row.at).getTime());
    const sent = (await admin.req("GET", `/api/alerts/deliveries?channelId=${goodId}`)).json.deliveries as DeliveryRow[];
    expect(sent.filter((d) => d.status === "sent").length).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it("a stop by a Hangar task does not alert", async () => {
    await vmShows("running");
    const mark = good.hits.length;
    const r = await admin.req("POST", `/api/machines/${hostId}/${uuid}/actions`, { action: "destroy" });
    expect(r.status, JSON.stringify(r.json)).toBeLessThan(300);
    await vmShows("shutoff");
    await new Promise((res) => setTimeout(res, 1500));
    expect(notes(good, mark)).toEqual([]);
    expect((await alerts("?state=active")).alerts.filter((a) => a.ruleId === ruleId)).toEqual([]);
  }, 60_000);

  it("a silence suppresses delivery; the alert still shows, marked silenced", async () => {
    virsh("start", VM);
    await vmShows("running");
    const endsAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const s = await admin.req("POST", "/api/alerts/silences", { ruleId, subjectKey: `vm:${hostId}:${uuid}`, endsAt, comment: "maintenance" });
    expect(s.status, JSON.stringify(s.json)).toBe(201);
    const mark = good.hits.length;
    const firingMails = () => smtp.mails.filter((m) => m.subject.includes("FIRING")).length;
    const mails = firingMails();
    virsh("destroy", VM);
    const a = await until("silenced alert listed", async () => (await alerts("?state=firing")).alerts.find((x) => x.ruleId === ruleId), 10_000, 50);
    expect(a.silenced).toBe(true);
    await new Promise((res) => setTimeout(res, 2000));
    expect(notes(good, mark)).toEqual([]);
    expect(firingMails()).toBe(mails);
    expect((await admin.req("DELETE", `/api/alerts/silences/${s.json.id}`)).status).toBe(200);
    // Without the silence, the next episode is delivered again.
    virsh("start", VM);
    await until("resolved", async () => !(await alerts("?state=firing")).alerts.some((x) => x.ruleId === ruleId), 10_000, 50);
    virsh("destroy", VM);
    await until("delivered after the silence was removed", () => notes(good, mark).find((x) => x.n.event === "firing"), 10_000, 20);
  }, 60_000);

  it("a file-system rule with a low threshold fires from the host's real metrics", async () => {
    const mark = good.hits.length;
    const r = await admin.req("POST", "/api/alerts/rules", {
      name: "Disk filling",
      kind: "host.fs",
      params: { threshold: 1 },
      scope: { type: "host", id: hostId },
      channelIds: [goodId],
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    // Host samples reach the server every 10 s (the agent's coarse tick).
    const fired = await until("file-system alert", () => notes(good, mark).find((x) => x.n.alert.kind === "host.fs"), 25_000, 50);
    expect(fired.n).toMatchObject({ event: "firing", alert: { subjectType: "host", hostId, ruleName: "Disk filling" } });
    expect(fired.n.alert.value).toBeGreaterThan(1);
    expect(fired.n.alert.value).toBeLessThanOrEqual(100);
    expect(fired.n.alert.message).toMatch(/^fs \d/);
    expect(fired.n.url).toBe(`${srv.url}/hosts/${hostId}`);
    // Disabling the rule resolves it.
    expect((await admin.req("PATCH", `/api/alerts/rules/${r.json.id}`, { enabled: false })).status).toBe(200);
    await until("fs alert resolved", () => notes(good, mark).find((x) => x.n.alert.kind === "host.fs" && x.n.event === "resolved"), 10_000, 50);
  }, 60_000);

  it("send test reaches the channel and answers with the outcome", async () => {
    const mark = good.hits.length;
    const r = await admin.req("POST", `/api/alerts/channels/${goodId}/test`);
    expect(r.json).toMatchObject({ ok: true, error: null });
    const hit = notes(good, mark).find((x) => x.n.event === "test");
    expect(hit && signatureValid(secret, hit.hit)).toBe(true);
  });
  it("a container killed with podman behind Hangar's back fires; started again resolves", async () => {
    const r = await admin.req("POST", "/api/alerts/rules", { name: "Container down", kind: "container.stopped", channelIds: [goodId] });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    podman("run", "-d", "--name", CT, "localhost/hangar-busybox:latest", "sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done");
    const shows = (state: string) =>
      until(`Hangar shows ${CT} ${state}`, async () =>
        ((await admin.req("GET", "/api/containers")).json.rows as { name: string; state: string }[]).some((c) => c.name === CT && c.state === state),
      );
    await shows("running");
    const mark = good.hits.length;
    podman("kill", CT);
    const fired = await until(
      "container alert",
      () => notes(good, mark).find((x) => x.n.alert.kind === "container.stopped" && x.n.event === "firing"),
      10_000,
      20,
    );
    expect(fired.n.alert).toMatchObject({ subjectType: "container", subjectName: CT, hostId });
    expect(fired.n.url).toBe(`${srv.url}/containers/${hostId}/${fired.n.alert.targetId}`);
    podman("start", CT);
    await until(
      "container alert resolved",
      () => notes(good, mark).find((x) => x.n.alert.kind === "container.stopped" && x.n.event === "resolved"),
      10_000,
      20,
    );
  }, 60_000);

  it("a failed task fires a task.failed rule", async () => {
    const r = await admin.req("POST", "/api/alerts/rules", {
      name: "Task failed",
      kind: "task.failed",
      params: { kindPrefix: "vm." },
      channelIds: [goodId],
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    await vmShows("shutoff");
    const mark = good.hits.length;
    // Resuming a machine that is off: libvirt refuses, the task fails.
    await admin.req("POST", `/api/machines/${hostId}/${uuid}/actions`, { action: "resume" });
    const fired = await until("task alert", () => notes(good, mark).find((x) => x.n.alert.kind === "task.failed"), 15_000, 20);
    expect(fired.n.alert).toMatchObject({ subjectType: "task", subjectName: `vm.resume ${VM}`, hostId });
    expect(fired.n.alert.message).toMatch(/^vm\.resume failed/);
  }, 30_000);

  it("three starts within the window fire a restart-loop rule", async () => {
    const r = await admin.req("POST", "/api/alerts/rules", {
      name: "Flapping",
      kind: "restart.loop",
      params: { starts: 3, windowSeconds: 120 },
      channelIds: [goodId],
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const mark = good.hits.length;
    for (let i = 0; i < 3; i++) {
      virsh("start", VM);
      await vmShows("running");
      if (i < 2) {
        virsh("destroy", VM);
        await vmShows("shutoff");
      }
    }
    const fired = await until("restart-loop alert", () => notes(good, mark).find((x) => x.n.alert.kind === "restart.loop"), 10_000, 20);
    expect(fired.n.alert).toMatchObject({ subjectName: VM, value: 3 });
    expect((await admin.req("PATCH", `/api/alerts/rules/${r.json.id}`, { enabled: false })).status).toBe(200);
  }, 90_000);

  it("an agent silent for longer than the rule allows fires; it resolves once the agent speaks again", async () => {
    const r = await admin.req("POST", "/api/alerts/rules", {
      name: "Agent quiet",
      kind: "agent.silent",
      params: { seconds: 15 },
      channelIds: [goodId],
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const agent = Number(
      execFileSync("pgrep", ["-P", String(srv.proc.pid), "-f", "agent.mjs"], { encoding: "utf8" })
        .trim()
        .split("\n")[0],
    );
    const mark = good.hits.length;
    process.kill(agent, "SIGSTOP");
    try {
      const fired = await until("agent-silent alert", () => notes(good, mark).find((x) => x.n.alert.kind === "agent.silent"), 40_000, 50);
      expect(fired.n.alert).toMatchObject({ subjectType: "host", hostId });
      expect(fired.n.alert.message).toMatch(/silent for 1\d s/);
    } finally {
      process.kill(agent, "SIGCONT");
    }
    await until(
      "agent-silent resolved",
      () => notes(good, mark).find((x) => x.n.alert.kind === "agent.silent" && x.n.event === "resolved"),
      60_000,
      100,
    );
    expect((await admin.req("DELETE", `/api/alerts/rules/${r.json.id}`)).status).toBe(200);
    await until(
      "local host online again",
      async () =>
        ((await admin.req("GET", "/api/hosts")).json.hosts as { id: string; status: string }[]).some((h) => h.id === hostId && h.status === "online"),
      60_000,
    );
  }, 150_000);

  it("a viewer reads alerts and rules; managing them, channels and the delivery log are refused", async () => {
    expect((await admin.req("POST", "/api/users", { username: "vera", password: "a long enough password", role: "viewer" })).status).toBe(201);
    const vera = new Client(srv.url);
    expect((await vera.req("POST", "/api/auth/login", { username: "vera", password: "a long enough password" })).status).toBe(200);
    const list = await vera.req("GET", "/api/alerts");
    expect(list.status).toBe(200);
    expect((list.json.alerts as AlertRow[]).some((a) => a.ruleId === ruleId)).toBe(true);
    expect((await vera.req("GET", "/api/alerts/rules")).status).toBe(200);
    expect((await vera.req("GET", "/api/alerts/channels")).status).toBe(403);
    expect((await vera.req("GET", "/api/alerts/deliveries")).status).toBe(403);
    expect((await vera.req("POST", "/api/alerts/rules", { name: "x", kind: "vm.stopped" })).status).toBe(403);
    const endsAt = new Date(Date.now() + 60_000).toISOString();
    expect((await vera.req("POST", "/api/alerts/silences", { ruleId, endsAt })).status).toBe(403);
  });
  it("a delivery still retrying when the server stops is attempted again after its restart", async () => {
    const deliveries = async () => (await admin.req("GET", `/api/alerts/deliveries?channelId=${hangId}`)).json.deliveries as DeliveryRow[];
    const row = await until("a retrying delivery", async () => (await deliveries()).find((d) => d.status === "retrying"), 20_000, 250);
    await srv.stop("SIGTERM", true);
    srv = await srv.restart();
    const again = await until(
      "the same delivery attempted again",
      async () => (await deliveries()).find((d) => d.id === row.id && d.attempt > row.attempt),
      60_000,
      500,
    );
    expect(again.error).toMatch(/no answer/);
  }, 120_000);
});
