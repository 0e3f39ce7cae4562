// Notification channel verbs and the delivery log. A channel's secret (webhook HMAC key,
// SMTP password, ntfy token) is answered in full only by its creation; afterwards masked.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import type { Services } from "../services";
import type { Caller } from "./caller";
import type { AlertChannel } from "../db/generated/sqlite/client";
import { describeFields, issueFields } from "../../protocol/issues";
import {
  channelConfigSchema,
  type AlertChannelRow,
  type ChannelKind,
  type ChannelPatchBody,
  type DeliveryListQuery,
  type DeliveryRow,
  type NewChannelBody,
} from "../../protocol/alerts";

export function maskSecret(secret: string): string {
  return secret ? `••••${secret.slice(-4)}` : "";
}

function channelRow(c: AlertChannel, reveal = false): AlertChannelRow {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind as ChannelKind,
    config: JSON.parse(c.configJson) as Record<string, unknown>,
    secret: reveal ? c.secret : maskSecret(c.secret),
    enabled: c.enabled,
    createdAt: c.createdAt.toISOString(),
  };
}

function checkConfig(kind: ChannelKind, config: Record<string, unknown>): Record<string, unknown> {
  const r = channelConfigSchema(kind).safeParse(config);
  if (r.success) return r.data as Record<string, unknown>;
  const fields = Object.fromEntries(Object.entries(issueFields(r.error, "config")).map(([k, v]) => [k === "config" ? k : `config.${k}`, v]));
  throw new ApiError("invalid", `Invalid body: ${describeFields(fields)}`, fields);
}

export async function listChannels(svc: Services): Promise<AlertChannelRow[]> {
  return (await svc.db.alertChannel.findMany({ orderBy: { createdAt: "asc" } })).map((c) => channelRow(c));
}

/** Creates a channel; the answer carries the secret in full, once (a webhook's is made here unless given). */
export async function createChannel(svc: Services, { user, ip }: Caller, body: z.output<typeof NewChannelBody>): Promise<AlertChannelRow> {
  const config = checkConfig(body.kind, body.config);
  const secret = body.secret ?? (body.kind === "webhook" ? randomBytes(24).toString("base64url") : "");
  const row = await svc.db.alertChannel.create({
    data: { name: body.name, kind: body.kind, configJson: JSON.stringify(config), secret, enabled: body.enabled, createdBy: user.username },
  });
  await svc.alerts.reloadChannels();
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "alert.channel.create",
    target: row.name,
    outcome: "success",
    ip,
    details: { id: row.id, kind: row.kind },
  });
  return channelRow(row, true);
}

export async function updateChannel(
  svc: Services,
  { user, ip }: Caller,
  id: string,
  body: z.output<typeof ChannelPatchBody>,
): Promise<AlertChannelRow> {
  const old = await svc.db.alertChannel.findUnique({ where: { id } });
  if (!old) throw new ApiError("not_found", `No channel ${id}`, { id: "unknown channel" });
  const config = body.config ? checkConfig(old.kind as ChannelKind, body.config) : undefined;
  const row = await svc.db.alertChannel.update({
    where: { id },
    data: { name: body.name, configJson: config ? JSON.stringify(config) : undefined, secret: body.secret, enabled: body.enabled },
  });
  await svc.alerts.reloadChannels();
  // The new secret itself is never written to the audit log: only that it changed.
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "alert.channel.update",
    target: row.name,
    outcome: "success",
    ip,
    details: { id, changed: Object.keys(body) },
  });
  return channelRow(row);
}

export async function deleteChannel(svc: Services, { user, ip }: Caller, id: string): Promise<void> {
  const old = await svc.db.alertChannel.findUnique({ where: { id } });
  if (!old) throw new ApiError("not_found", `No channel ${id}`, { id: "unknown channel" });
  await svc.db.alertChannel.delete({ where: { id } });
  await Promise.all([svc.alerts.reloadChannels(), svc.alerts.reloadRules()]);
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "alert.channel.delete",
    target: old.name,
    outcome: "success",
    ip,
    details: { id },
  });
}

/** Sends a test notification through the queue and answers with how its (single) attempt went. */
export async function testChannel(
  svc: Services,
  { user, ip }: Caller,
  id: string,
): Promise<{ deliveryId: string; ok: boolean; error: string | null }> {
  const ch = await svc.db.alertChannel.findUnique({ where: { id } });
  if (!ch) throw new ApiError("not_found", `No channel ${id}`, { id: "unknown channel" });
  const now = new Date().toISOString();
  const payload = svc.alerts.notification(
    {
      id: "test",
      ruleId: "test",
      ruleName: "Test notification",
      kind: "vm.stopped",
      subjectKey: "test",
      subjectType: "task",
      subjectName: ch.name,
      hostId: null,
      targetId: null,
      state: "firing",
      value: null,
      message: `A test from ${user.username}: this channel works.`,
      since: now,
      firingAt: now,
      resolvedAt: null,
    },
    "test",
  );
  let resolveDone!: (e: string | null) => void;
  const done = new Promise<string | null>((r) => (resolveDone = r));
  const deliveryId = await svc.alerts.delivery.enqueue(id, "test", null, payload, resolveDone);
  const error = await done;
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "alert.channel.test",
    target: ch.name,
    outcome: error ? "failure" : "success",
    ip,
    details: { id, error },
  });
  return { deliveryId, ok: !error, error };
}

export async function listDeliveries(svc: Services, q: z.output<typeof DeliveryListQuery>): Promise<DeliveryRow[]> {
  const rows = await svc.db.alertDelivery.findMany({
    where: { alertId: q.alertId, channelId: q.channelId },
    include: { channel: { select: { name: true } } },
    orderBy: { at: "desc" },
    take: q.limit ?? 200,
  });
  return rows.map((d) => ({
    id: d.id,
    alertId: d.alertId,
    channelId: d.channelId,
    channelName: d.channel.name,
    event: d.event as DeliveryRow["event"],
    attempt: d.attempt,
    status: d.status as DeliveryRow["status"],
    error: d.error,
    at: d.at.toISOString(),
    sentAt: d.sentAt?.toISOString() ?? null,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
  }));
}
