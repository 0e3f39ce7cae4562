import { describe, expect, it } from "vitest";
import type { Db } from "../db/client";
import { AccessService, GENERATION_KEY, tagKey } from "./access";

/** One database two processes share: the tables AccessService reads, and the Setting rows. */
function sharedDb() {
  const settings = new Map<string, string>();
  const tags: { targetType: string; hostId: string; targetId: string; tag: string }[] = [];
  const table = <T>(rows: T[]) => ({ findMany: () => Promise.resolve(rows) });
  const db = {
    roleAssignment: table([]),
    groupMember: table([]),
    customRole: table([]),
    resourceTag: table(tags),
    setting: {
      findUnique: ({ where }: { where: { key: string } }) => Promise.resolve(settings.has(where.key) ? { value: settings.get(where.key)! } : null),
      upsert: ({ where, update }: { where: { key: string }; update: { value: string } }) => {
        settings.set(where.key, update.value);
        return Promise.resolve({});
      },
    },
  };
  return { db: db as unknown as Db, settings, tags };
}

const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
};

describe("access generation across processes", () => {
  it("a reload in one process (or a direct write that moves the row) reloads the others on their next poll", async () => {
    const { db, settings, tags } = sharedDb();
    const a = new AccessService(db);
    const b = new AccessService(db);
    await a.start(10);
    await b.start(10);
    let changes = 0;
    b.onChange(() => changes++);
    tags.push({ targetType: "vm", hostId: "h1", targetId: "u1", tag: "web" });
    await a.reload();
    expect(a.tagsOf({ type: "vm", id: "u1", hostId: "h1" })).toEqual(["web"]);
    await until("b reloads", () => changes === 1);
    expect(b.snapshot.tags.get(tagKey("vm", "h1", "u1"))).toEqual(["web"]);
    // Its own mark does not make a process reload again; a foreign one does, once.
    const genA = a.generation;
    await new Promise((r) => setTimeout(r, 50));
    expect(a.generation).toBe(genA);
    expect(changes).toBe(1);
    settings.set(GENERATION_KEY, "written by a script");
    await until("both reload", () => changes === 2 && a.generation === genA + 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(changes).toBe(2);
    a.stop();
    b.stop();
  });
});
