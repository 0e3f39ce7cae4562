// Several real server processes on one real PostgreSQL database (issue 15 point 1,
// docs/decisions/0005-replicas.md): what one server decides, the others respect.
import { afterAll, beforeAll, expect, it } from "vitest";
import { labSuite } from "../helpers/lab";
import { startCluster, type Cluster } from "../helpers/cluster";
import { ADMIN, Client } from "../helpers/server";

labSuite("postgres", "two servers on one PostgreSQL", () => {
  let cluster: Cluster;
  let a: string;
  let b: string;
  beforeAll(async () => {
    cluster = await startCluster(2);
    [a, b] = cluster.servers.map((s) => s.url) as [string, string];
  });
  afterAll(() => cluster?.stop());

  it("20 wrong passwords spread across two servers are throttled as one", async () => {
    const onA = new Client(a);
    const onB = new Client(b);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const c = i % 2 ? onB : onA;
      statuses.push((await c.req("POST", "/api/auth/login", { username: "admin", password: `wrong-password-${i}` })).status);
    }
    // As on one server: 5 failures per account, then 429 wherever the next try lands.
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(15).fill(429)]);
    for (const c of [onA, onB]) {
      const r = await c.req("POST", "/api/auth/login", ADMIN);
      expect(r.status).toBe(429);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    // The address limit (4 × 5 = 20) is counted across servers too: 15 more failures on
    // other names, alternating, reach it, and the next try from this address is refused.
    const more: number[] = [];
    for (let i = 0; i < 16; i++) {
      const c = i % 2 ? onB : onA;
      more.push((await c.req("POST", "/api/auth/login", { username: `nobody-${i}`, password: "whatever-long-pw" })).status);
    }
    expect(more).toEqual([...Array<number>(15).fill(401), 429]);
  });
});
