// Hosts and their credentials. Enrollment: an admin adds a host and gets a one-time token
// (valid 1 h, stored hashed); the agent exchanges it once for a long-lived credential
// (also stored hashed) that authenticates its websocket.
import type { HostFacts, HostRow } from "../../protocol";
import type { Db, Host } from "../db/client";
import { hashToken, randomToken } from "../auth/tokens";
import { ApiError } from "../http/errors";
import type { AgentHub } from "./hub";

const ENROLL_TTL_MS = 60 * 60 * 1000;

export async function createHost(db: Db, name: string): Promise<{ host: Host; token: string }> {
  const token = randomToken();
  try {
    const host = await db.host.create({ data: { name, enrollTokenHash: hashToken(token), enrollExpiresAt: new Date(Date.now() + ENROLL_TTL_MS) } });
    return { host, token };
  } catch (err) {
    if ((err as { code?: string }).code === "P2002")
      throw new ApiError("conflict", `A host named ${name} already exists`, { name: "already in use" });
    throw err;
  }
}

/** A fresh enrollment token for an existing host (re-install, lost credential). */
export async function renewEnrollment(db: Db, hostId: string): Promise<string> {
  const token = randomToken();
  await db.host.update({ where: { id: hostId }, data: { enrollTokenHash: hashToken(token), enrollExpiresAt: new Date(Date.now() + ENROLL_TTL_MS) } });
  return token;
}

export async function enroll(db: Db, token: string, facts: HostFacts | undefined): Promise<{ host: Host; credential: string }> {
  const credential = randomToken();
  // One conditional update: a token is consumed exactly once, even by racing agents.
  const { count } = await db.host.updateMany({
    where: { enrollTokenHash: hashToken(token), enrollExpiresAt: { gt: new Date() } },
    data: {
      enrollTokenHash: null,
      enrollExpiresAt: null,
      credentialHash: hashToken(credential),
      ...(facts ? { factsJson: JSON.stringify(facts) } : {}),
    },
  });
  if (count !== 1)
    throw new ApiError("unauthenticated", "Enrollment token is invalid, expired or already used", { token: "invalid, expired or used" });
  const host = await db.host.findUniqueOrThrow({ where: { credentialHash: hashToken(credential) } });
  return { host, credential };
}

export function findHostByCredential(db: Db, credential: string): Promise<Host | null> {
  return db.host.findUnique({ where: { credentialHash: hashToken(credential) } });
}

/** The host Hangar runs on: created on first start, credential rotated on every start. */
export async function ensureLocalHost(db: Db, name: string): Promise<{ host: Host; credential: string }> {
  const credential = randomToken();
  const host = await db.host.upsert({
    where: { name },
    create: { name, credentialHash: hashToken(credential) },
    update: { credentialHash: hashToken(credential), enrollTokenHash: null, enrollExpiresAt: null },
  });
  return { host, credential };
}

export function hostRow(h: Host, hub: AgentHub): HostRow {
  let facts: HostFacts | null = null;
  try {
    const parsed = JSON.parse(h.factsJson) as Partial<HostFacts>;
    facts = parsed.hostname ? (parsed as HostFacts) : null;
  } catch {
    facts = null;
  }
  const online = hub.isOnline(h.id);
  return {
    id: h.id,
    name: h.name,
    status: online ? "online" : h.credentialHash ? "offline" : "pending",
    lastSeenAt: online ? new Date().toISOString() : (h.lastSeenAt?.toISOString() ?? null),
    agentVersion: h.agentVersion,
    facts,
    libvirtConnected: online ? hub.libvirtConnected(h.id) : null,
    machineCount: hub.machineCount(h.id),
    engine: online ? hub.engine(h.id) : null,
    containerCount: hub.containerCount(h.id),
    createdAt: h.createdAt.toISOString(),
  };
}
