// Serial console through Hangar against a real guest: typed input reaches the guest's
// shell and its output comes back; two viewers share one libvirt console session; a long
// paste arrives whole and in order.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { startWithAdmin, type Client, type TestServer } from "../helpers/server";
import { ensureOff, guestReady, guestTo, labSuite, until, virsh } from "../helpers/lab";
import { collectText, openConsole, ticket } from "../helpers/console";

const VM = "hangar-test-2";

labSuite("libvirt", "serial console through Hangar", () => {
  let srv: TestServer;
  let admin: Client;
  let hostId = "";
  let uuid = "";

  beforeAll(async () => {
    ensureOff(VM);
    virsh("start", VM);
    ({ srv, admin } = await startWithAdmin({ HANGAR_LOCAL_AGENT: "1" }));
    const row = await until("guest running", async () =>
      (await admin.req("GET", "/api/machines")).json.rows.find((r: { name: string; state: string }) => r.name === VM && r.state === "running"),
    );
    hostId = row.hostId;
    uuid = row.uuid;
    await until("guest booted", () => guestReady(VM), 60_000, 250);
  }, 120_000);

  // Each test types into a booted shell, whatever the previous test left.
  beforeEach(() => guestTo(VM, "running-ready", admin), 120_000);

  afterAll(async () => {
    await srv?.stop();
    ensureOff(VM);
  });

  it("types into the guest's shell and shows its output to every viewer", async () => {
    const a = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, uuid, { kind: "serial" })).json.protocols);
    const b = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, uuid, { kind: "serial" })).json.protocols);
    expect(a.status).toBe(101);
    expect(b.status).toBe(101);
    const outA = collectText(a.ws!, "latin1");
    const outB = collectText(b.ws!, "latin1");
    await new Promise((r) => setTimeout(r, 300));
    const word = `hangar-${Math.random().toString(36).slice(2, 8)}`;
    a.ws!.send(Buffer.from(`echo ${word} | tr a-z A-Z\n`));
    await until("output on viewer A", () => outA.text().includes(word.toUpperCase()), 15_000);
    await until("output on viewer B", () => outB.text().includes(word.toUpperCase()), 15_000);
    a.ws!.close();
    b.ws!.close();
  });

  it("a long paste arrives whole and in order", async () => {
    const c = await openConsole(srv.url, admin.cookie, (await ticket(admin, hostId, uuid, { kind: "serial" })).json.protocols);
    const out = collectText(c.ws!, "latin1");
    await new Promise((r) => setTimeout(r, 300));
    const ids = Array.from({ length: 150 }, (_, i) => `L${String(i).padStart(3, "0")}X`);
    // The guest appends each line to a file; a checksum of the file, computed in the guest,
    // proves every line arrived, in order (tty echo interleaving cannot fake it).
    const text = Buffer.from(
      ["rm -f /tmp/p", ...ids.map((id) => `echo ${id} >> /tmp/p`), "echo \"RESULT-$(tr -d '\\n' < /tmp/p | md5sum | cut -c1-8)-END\""].join("\n") +
        "\n",
    );
    // Sent the way the UI pastes: 1 KiB chunks, each after the socket drained.
    for (let i = 0; i < text.length; i += 1024) {
      c.ws!.send(text.subarray(i, i + 1024));
      await until("drained", () => c.ws!.bufferedAmount === 0, 5000, 5);
    }
    const m = await until("checksum printed by the guest", () => /RESULT-([0-9a-f]{8})-END/.exec(out.text()), 60_000);
    const want = createHash("md5").update(ids.join("")).digest("hex").slice(0, 8);
    expect(m[1]).toBe(want);
    c.ws!.close();
  });
});
