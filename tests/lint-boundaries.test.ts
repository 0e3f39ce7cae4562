// Proves each import boundary in eslint.config.mjs bites: a forbidden import (or, under
// app/, a database query or audit call) fails lint, an allowed one passes.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function errorsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports" || m.ruleId === "no-restricted-syntax").map((m) => m.message);
}

const CASES: [string, string, boolean][] = [
  ["components/probe.tsx", 'import { services } from "@/server/web/services";\nexport const x = services;', false],
  ["components/probe.tsx", 'import { x } from "../server/agent/libvirt";\nexport const y = x;', false],
  ["components/probe.tsx", 'import { PrismaClient } from "@prisma/client";\nexport const y = PrismaClient;', false],
  ["components/probe.tsx", 'import fs from "node:fs";\nexport const y = fs;', false],
  ["components/probe.tsx", 'import fs from "fs";\nexport const y = fs;', false],
  ["components/probe.tsx", 'import { keys } from "./lib/query-keys";\nexport const y = keys;', true],
  ["server/agent/probe.ts", 'import { services } from "../web/services";\nexport const y = services;', false],
  ["server/agent/probe.ts", 'import { PrismaClient } from "@prisma/client";\nexport const y = PrismaClient;', false],
  ["server/agent/probe.ts", 'import next from "next";\nexport const y = next;', false],
  ["server/agent/probe.ts", 'import net from "node:net";\nexport const y = net;', true],
  ["server/protocol/probe.ts", 'import fs from "node:fs";\nexport const y = fs;', false],
  ["server/protocol/probe.ts", 'import { services } from "../web/services";\nexport const y = services;', false],
  ["server/protocol/probe.ts", 'import { z } from "zod";\nexport const y = z;', true],
  ["server/web/probe.ts", 'import { x } from "../agent/libvirt";\nexport const y = x;', false],
  ["server/web/probe.ts", 'import { Button } from "@/components/ui/form";\nexport const y = Button;', false],
  ["server/web/probe.ts", 'import { z } from "zod";\nexport const y = z;', true],
  ["server/web/console-relay/probe.ts", 'import type { Services } from "../services";\nexport type Y = Services;', false],
  ["server/web/console-relay/probe.ts", 'import { PrismaClient } from "@prisma/client";\nexport const y = PrismaClient;', false],
  ["server/web/console-relay/probe.ts", 'import { CONSOLE_CLOSE } from "../../protocol";\nexport const y = CONSOLE_CLOSE;', false],
  ["server/web/console-relay/probe.ts", 'import { x } from "../../agent/consoles";\nexport const y = x;', false],
  [
    "server/web/console-relay/probe.ts",
    'import { CONSOLE_CLOSE } from "../../protocol/console";\nimport { WebSocketServer } from "ws";\nimport net from "node:net";\nimport { StreamRelay } from "./stream-relay";\nexport const y = [CONSOLE_CLOSE, WebSocketServer, net, StreamRelay];',
    true,
  ],
  ["app/api/probe/route.ts", 'import { db } from "@/server/web/db/client";\nexport const y = db;', false],
  ["app/api/probe/route.ts", 'import type { User } from "../../../server/web/db/client";\nexport type Y = User;', false],
  ["app/api/probe/route.ts", 'import { PrismaClient } from "@prisma/client";\nexport const y = PrismaClient;', false],
  ["app/api/probe/route.ts", 'import { PrismaClient } from "@/server/web/db/generated/sqlite/client";\nexport const y = PrismaClient;', false],
  ["app/api/probe/route.ts", 'import { audit } from "@/server/web/audit";\nexport const y = audit;', false],
  ["app/api/probe/route.ts", "declare const audit: (x: unknown) => Promise<void>;\nexport const y = () => audit({});", false],
  ["app/api/probe/route.ts", 'import { services } from "@/server/web/services";\nexport const y = () => services().db.user.count();', false],
  ["app/api/probe/route.ts", "declare const svc: { db: { host: { findMany(): unknown } } };\nexport const y = () => svc.db.host.findMany();", false],
  ["app/probe/page.tsx", 'import { services } from "@/server/web/services";\nexport const y = () => services().db.user.count();', false],
  [
    "app/api/probe/route.ts",
    'import { route, json } from "@/server/web/http/route";\nimport { listHosts } from "@/server/web/services/hosts";\nexport const GET = route({ permission: "host.read" }, async ({ svc }) => json({ hosts: await listHosts(svc) }));',
    true,
  ],
];

describe("lint enforces import boundaries", () => {
  it.each(CASES)("%s: %s → allowed=%s", async (file, code, allowed) => {
    const errors = await errorsFor(file, code);
    if (allowed) expect(errors).toEqual([]);
    else expect(errors.length).toBeGreaterThan(0);
  });
});
