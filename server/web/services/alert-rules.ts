// Alert rule and silence verbs: validated, audited, and followed by a reload of what the
// engine holds, so a change applies from the next sample or event.
import type { z } from "zod";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import type { Services } from "../services";
import type { Caller } from "./caller";
import type { AlertRule } from "../db/generated/sqlite/client";
import { describeFields, issueFields } from "../../protocol/issues";
import {
  paramsSchema,
  type AlertRuleRow,
  type NewRuleBody,
  type NewSilenceBody,
  type RulePatchBody,
  type RuleKind,
  type SilenceRow,
} from "../../protocol/alerts";
import { scopeOf } from "../alerts/rules";

type RuleWithChannels = AlertRule & { channels: { channelId: string }[] };

function ruleRow(r: RuleWithChannels): AlertRuleRow {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as RuleKind,
    params: JSON.parse(r.paramsJson) as Record<string, unknown>,
    scope: scopeOf(r),
    forSeconds: r.forSeconds,
    enabled: r.enabled,
    channelIds: r.channels.map((c) => c.channelId),
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
  };
}

/** A kind's params, checked by that kind's schema (a wrong one is a 422 naming params.<field>). */
function checkParams(kind: RuleKind, params: Record<string, unknown>): Record<string, unknown> {
  const r = paramsSchema(kind).safeParse(params);
  if (r.success) return r.data as Record<string, unknown>;
  const fields = issueFields(r.error, "params");
  const named = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k === "params" ? k : `params.${k}`, v]));
  throw new ApiError("invalid", `Invalid body: ${describeFields(named)}`, named);
}

async function checkRefs(svc: Services, scope: z.output<typeof NewRuleBody>["scope"] | undefined, channelIds: string[] | undefined) {
  if (scope?.type === "host" && !(await svc.db.host.findUnique({ where: { id: scope.id }, select: { id: true } })))
    throw new ApiError("invalid", `No host ${scope.id}`, { "scope.id": "unknown host" });
  if (channelIds?.length) {
    const found = await svc.db.alertChannel.findMany({ where: { id: { in: channelIds } }, select: { id: true } });
    const missing = channelIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new ApiError("invalid", `Unknown channel(s): ${missing.join(", ")}`, { channelIds: `unknown: ${missing.join(", ")}` });
  }
}

const withChannels = { channels: { select: { channelId: true } } } as const;

/** The rules that apply where the caller holds alert.read (all of them for a fleet-wide grant). */
export async function listRules(svc: Services, { user }: Caller): Promise<AlertRuleRow[]> {
  const rows = await svc.db.alertRule.findMany({ include: withChannels, orderBy: { createdAt: "asc" } });
  const g = svc.access.grants(user);
  const mine = (r: AlertRule) =>
    g.global.has("alert.read") ||
    (r.scopeType === "host" && !!g.hosts.get(r.scopeId)?.has("alert.read")) ||
    (r.scopeType === "tag" && !!g.tags.get(r.scopeId)?.has("alert.read"));
  return rows.filter(mine).map(ruleRow);
}

export async function createRule(svc: Services, { user, ip }: Caller, body: z.output<typeof NewRuleBody>): Promise<AlertRuleRow> {
  const params = checkParams(body.kind, body.params);
  await checkRefs(svc, body.scope, body.channelIds);
  const row = await svc.db.alertRule.create({
    data: {
      name: body.name,
      kind: body.kind,
      paramsJson: JSON.stringify(params),
      scopeType: body.scope.type,
      scopeId: body.scope.type === "everything" ? "" : body.scope.id,
      forSeconds: body.forSeconds,
      enabled: body.enabled,
      createdBy: user.username,
      channels: { create: [...new Set(body.channelIds)].map((channelId) => ({ channelId })) },
    },
    include: withChannels,
  });
  await svc.alerts.reloadRules();
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "alert.rule.create",
    target: row.name,
    outcome: "success",
    ip,
    details: { id: row.id, kind: row.kind },
  });
  return ruleRow(row);
}

export async function updateRule(svc: Services, { user, ip }: Caller, id: string, body: z.output<typeof RulePatchBody>): Promise<AlertRuleRow> {
  const old = await svc.db.alertRule.findUnique({ where: { id } });
  if (!old) throw new ApiError("not_found", `No alert rule ${id}`, { id: "unknown rule" });
  const params = body.params ? checkParams(old.kind as RuleKind, body.params) : undefined;
  await checkRefs(svc, body.scope, body.channelIds);
  const row = await svc.db.$transaction(async (tx) => {
    if (body.channelIds) {
      await tx.alertRuleChannel.deleteMany({ where: { ruleId: id } });
      for (const channelId of new Set(body.channelIds)) await tx.alertRuleChannel.create({ data: { ruleId: id, channelId } });
    }
    return tx.alertRule.update({
      where: { id },
      data: {
        name: body.name,
        paramsJson: params ? JSON.stringify(params) : undefined,
        scopeType: body.scope?.type,
        scopeId: body.scope ? (body.scope.type === "everything" ? "" : body.scope.id) : undefined,
        forSeconds: body.forSeconds,
        enabled: body.enabled,
      },
      include: withChannels,
    });
  });
  await svc.alerts.reloadRules();
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "alert.rule.update",
    target: row.name,
    outcome: "success",
    ip,
    details: { id, changed: Object.keys(body) },
  });
  return ruleRow(row);
}

export async function deleteRule(svc: Services, { user, ip }: Caller, id: string): Promise<void> {
  const old = await svc.db.alertRule.findUnique({ where: { id } });
  if (!old) throw new ApiError("not_found", `No alert rule ${id}`, { id: "unknown rule" });
  // The engine lets go first, so no transition of this rule is written after its rows are gone.
  const rules = await svc.alerts.reloadRules();
  svc.alerts.engine.setRules(rules.filter((r) => r.id !== id));
  await svc.alerts.flush();
  await svc.db.alertRule.delete({ where: { id } });
  await svc.alerts.reloadRules();
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "alert.rule.delete",
    target: old.name,
    outcome: "success",
    ip,
    details: { id },
  });
}

function silenceRow(s: {
  id: string;
  ruleId: string | null;
  subjectKey: string | null;
  endsAt: Date;
  createdBy: string;
  comment: string;
  createdAt: Date;
}): SilenceRow {
  return { ...s, endsAt: s.endsAt.toISOString(), createdAt: s.createdAt.toISOString() };
}

export async function listSilences(svc: Services): Promise<SilenceRow[]> {
  const rows = await svc.db.silence.findMany({ where: { endsAt: { gt: new Date() } }, orderBy: { endsAt: "asc" } });
  return rows.map(silenceRow);
}

export async function createSilence(svc: Services, { user, ip }: Caller, body: z.output<typeof NewSilenceBody>): Promise<SilenceRow> {
  const endsAt = new Date(body.endsAt);
  if (endsAt.getTime() <= Date.now()) throw new ApiError("invalid", "endsAt must be in the future", { endsAt: "in the past" });
  if (body.ruleId && !(await svc.db.alertRule.findUnique({ where: { id: body.ruleId }, select: { id: true } })))
    throw new ApiError("invalid", `No alert rule ${body.ruleId}`, { ruleId: "unknown rule" });
  const row = await svc.db.silence.create({
    data: { ruleId: body.ruleId ?? null, subjectKey: body.subjectKey ?? null, endsAt, comment: body.comment, createdBy: user.username },
  });
  await svc.alerts.reloadSilences();
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "alert.silence.create",
    target: body.subjectKey ?? body.ruleId ?? "",
    outcome: "success",
    ip,
    details: { id: row.id, ruleId: row.ruleId, subjectKey: row.subjectKey, endsAt: body.endsAt },
  });
  return silenceRow(row);
}

export async function deleteSilence(svc: Services, { user, ip }: Caller, id: string): Promise<void> {
  const r = await svc.db.silence.deleteMany({ where: { id } });
  if (!r.count) throw new ApiError("not_found", `No silence ${id}`, { id: "unknown silence" });
  await svc.alerts.reloadSilences();
  await audit(svc.db, { actor: user.username, userId: user.id, action: "alert.silence.delete", target: id, outcome: "success", ip });
}
