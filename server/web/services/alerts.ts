// The alerts list: firing first, then pending, then the latest resolved; each alert only
// for whoever may read what it is about (its VM, container, host, or the task's target).
import type { z } from "zod";
import type { Services } from "../services";
import type { Caller } from "./caller";
import type { Alert } from "../db/generated/sqlite/client";
import type { Permission } from "../../protocol/roles";
import type { AlertListQuery, AlertRow, RuleKind } from "../../protocol/alerts";
import { subjectOf } from "../alerts/alerting";

const READ: Record<AlertRow["subjectType"], Permission> = { vm: "vm.read", container: "container.read", host: "host.read", task: "task.read" };
const ORDER: Record<string, number> = { firing: 0, pending: 1, resolved: 2 };

function visible(svc: Services, user: Caller["user"], a: Alert): boolean {
  const s = subjectOf(a);
  return s.resource ? svc.access.can(user, READ[s.type], s.resource) : svc.access.can(user, READ[s.type]);
}

export async function listAlerts(
  svc: Services,
  { user }: Caller,
  q: z.output<typeof AlertListQuery>,
): Promise<{ alerts: AlertRow[]; counts: { firing: number; pending: number } }> {
  const limit = q.limit ?? 200;
  const states = q.state === "active" ? ["pending", "firing"] : q.state ? [q.state] : ["pending", "firing", "resolved"];
  const where = { ruleId: q.ruleId };
  // Active alerts are few and all shown; resolved ones are history, newest first.
  const active = states.some((s) => s !== "resolved")
    ? await svc.db.alert.findMany({ where: { ...where, state: { in: states.filter((s) => s !== "resolved") } }, include: { rule: true } })
    : [];
  const resolved = states.includes("resolved")
    ? await svc.db.alert.findMany({ where: { ...where, state: "resolved" }, include: { rule: true }, orderBy: { resolvedAt: "desc" }, take: limit })
    : [];
  const rows = [...active, ...resolved].filter((a) => visible(svc, user, a));
  const now = Date.now();
  const alerts = rows
    .map((a): AlertRow => ({
      id: a.id,
      ruleId: a.ruleId,
      ruleName: a.rule.name,
      kind: a.rule.kind as RuleKind,
      subjectKey: a.subjectKey,
      subjectType: a.subjectType as AlertRow["subjectType"],
      subjectName: a.subjectName,
      hostId: a.hostId,
      targetId: a.targetId,
      state: a.state as AlertRow["state"],
      value: a.value,
      message: a.message,
      since: a.since.toISOString(),
      firingAt: a.firingAt?.toISOString() ?? null,
      resolvedAt: a.resolvedAt?.toISOString() ?? null,
      silenced: a.state !== "resolved" && svc.alerts.silenced(a.ruleId, a.subjectKey, now),
    }))
    .sort((x, y) => ORDER[x.state]! - ORDER[y.state]! || (y.firingAt ?? y.since).localeCompare(x.firingAt ?? x.since))
    .slice(0, limit);
  const counts = { firing: 0, pending: 0 };
  for (const a of rows) if (a.state === "firing" || a.state === "pending") counts[a.state]++;
  return { alerts, counts };
}
