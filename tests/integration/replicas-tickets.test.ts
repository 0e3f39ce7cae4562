// Console tickets shared by two servers through one real PostgreSQL database: two ticket
// services, each with its own connection pool as two server processes would have.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db } from "@/server/web/db/client";
import { migrate } from "@/server/web/db/migrate";
import { ConsoleTickets, type TicketClaims } from "@/server/web/consoles/tickets";
import { labSuite } from "../helpers/lab";
import { scratchDatabase, type ScratchDatabase } from "../helpers/cluster";

const claims: TicketClaims = { userId: "u1", sessionId: "s1", hostId: "h1", uuid: "vm-1", kind: "vnc", takeover: false };

labSuite("postgres", "console tickets across servers", () => {
  let scratch: ScratchDatabase;
  let dbA: Db;
  let dbB: Db;
  let now = Date.now();
  let a: ConsoleTickets;
  let b: ConsoleTickets;
  beforeAll(async () => {
    scratch = await scratchDatabase();
    await migrate(scratch.url);
    dbA = createDb(scratch.url);
    dbB = createDb(scratch.url);
    a = new ConsoleTickets(dbA, 30_000, () => now);
    b = new ConsoleTickets(dbB, 30_000, () => now);
  });
  afterAll(async () => {
    await dbA?.$disconnect();
    await dbB?.$disconnect();
    await scratch?.drop();
  });

  it("a ticket issued on A is accepted on B once, then refused as used on A and on B", async () => {
    const t = await a.issue(claims);
    expect(await b.redeem(t)).toEqual({ claims });
    expect(await a.redeem(t)).toEqual({ refused: "ticket-used", claims });
    expect(await b.redeem(t)).toEqual({ refused: "ticket-used", claims });
  });

  it("presented 20 times at once on both servers, exactly one presentation wins", async () => {
    const t = await a.issue(claims);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).redeem(t)));
    expect(answers.filter((r) => !("refused" in r))).toHaveLength(1);
    expect(answers.filter((r) => "refused" in r && r.refused === "ticket-used")).toHaveLength(19);
  });

  it("keeps the refusal reasons: expired (and used up by that), unknown", async () => {
    const t = await b.issue(claims);
    now += 30_001;
    expect(await a.redeem(t)).toEqual({ refused: "ticket-expired", claims });
    expect(await b.redeem(t)).toEqual({ refused: "ticket-used", claims });
    expect(await a.redeem("never-issued")).toEqual({ refused: "ticket-unknown", claims: null });
  });
});
