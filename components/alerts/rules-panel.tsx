"use client";
// Alert rules: the list (enable, delete) and a form for a new one, with the fields its kind takes.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { RULE_KINDS, THRESHOLD_KINDS, type RuleKind } from "@/server/protocol/alert-kinds";
import type { AlertRuleRow } from "@/server/protocol/alerts";
import { ApiClientError } from "../lib/api";
import { alertApi, useAlertMutation, useChannels, useRules } from "../lib/alerts";
import { useCan } from "../lib/queries";
import { Button, EmptyState, Field } from "../ui/form";
import { useToast } from "../ui/toasts";

// Catalogue keys of the rule kinds (a "." in a key would nest it).
const KIND_KEY = {
  "vm.stopped": "vmStopped",
  "container.stopped": "containerStopped",
  "restart.loop": "restartLoop",
  "container.unhealthy": "containerUnhealthy",
  "host.cpu": "hostCpu",
  "host.memory": "hostMemory",
  "host.disk": "hostDisk",
  "host.fs": "hostFs",
  "vm.cpu": "vmCpu",
  "agent.silent": "agentSilent",
  "task.failed": "taskFailed",
} as const satisfies Record<RuleKind, string>;

type Translate = ReturnType<typeof useTranslations<"alerts.rules">>;

function scopeText(r: AlertRuleRow, t: Translate): string {
  if (r.scope.type === "everything") return t("scopeEverything");
  return r.scope.type === "host" ? t("scopeHost", { id: r.scope.id }) : t("scopeTag", { id: r.scope.id });
}

function paramsOf(kind: RuleKind, f: Record<string, string>): Record<string, unknown> {
  if (THRESHOLD_KINDS.has(kind)) return { threshold: Number(f.threshold), ...(f.mount ? { mount: f.mount } : {}) };
  if (kind === "restart.loop") return { starts: Number(f.starts), windowSeconds: Number(f.windowSeconds) };
  if (kind === "agent.silent") return { seconds: Number(f.seconds) };
  if (kind === "task.failed") return f.kindPrefix ? { kindPrefix: f.kindPrefix } : {};
  return {};
}

function NewRuleForm() {
  const toast = useToast();
  const channels = useChannels().data?.channels ?? [];
  const [kind, setKind] = useState<RuleKind>("vm.stopped");
  const [f, setF] = useState<Record<string, string>>({
    name: "",
    threshold: "90",
    starts: "3",
    windowSeconds: "300",
    seconds: "60",
    forSeconds: "0",
    scopeType: "everything",
    scopeId: "",
  });
  const [picked, setPicked] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useAlertMutation(alertApi.createRule);
  const t = useTranslations("alerts.rules");
  const tKind = useTranslations("alerts.rules.kind");
  const set = (k: string) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = () =>
    create.mutate(
      {
        name: f.name,
        kind,
        params: paramsOf(kind, f),
        scope: f.scopeType === "everything" ? { type: "everything" } : { type: f.scopeType, id: f.scopeId },
        forSeconds: Number(f.forSeconds),
        channelIds: picked,
      },
      {
        onSuccess: () => (toast(t("created"), "success"), setErrors({}), setF({ ...f, name: "" })),
        onError: (e) => (setErrors(e instanceof ApiClientError ? e.fields : {}), toast(e.message, "error")),
      },
    );
  const sel = "rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900";
  return (
    <form
      className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(e) => (e.preventDefault(), submit())}
      aria-label={t("form")}
    >
      <Field label={t("name")} name="rule-name" value={f.name} onChange={set("name")} error={errors.name} required />
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("kindLabel")}
        <select className={sel} value={kind} onChange={(e) => setKind(e.target.value as RuleKind)} name="rule-kind">
          {RULE_KINDS.map((k) => (
            <option key={k} value={k}>
              {tKind(KIND_KEY[k])}
            </option>
          ))}
        </select>
      </label>
      {THRESHOLD_KINDS.has(kind) && (
        <Field
          label={t("threshold")}
          name="rule-threshold"
          type="number"
          value={f.threshold}
          onChange={set("threshold")}
          error={errors["params.threshold"]}
        />
      )}
      {kind === "host.fs" && <Field label={t("mount")} name="rule-mount" value={f.mount ?? ""} onChange={set("mount")} />}
      {kind === "restart.loop" && (
        <>
          <Field label={t("starts")} name="rule-starts" type="number" value={f.starts} onChange={set("starts")} error={errors["params.starts"]} />
          <Field
            label={t("within")}
            name="rule-window"
            type="number"
            value={f.windowSeconds}
            onChange={set("windowSeconds")}
            error={errors["params.windowSeconds"]}
          />
        </>
      )}
      {kind === "agent.silent" && (
        <Field
          label={t("silentFor")}
          name="rule-seconds"
          type="number"
          value={f.seconds}
          onChange={set("seconds")}
          error={errors["params.seconds"]}
        />
      )}
      {kind === "task.failed" && <Field label={t("taskPrefix")} name="rule-prefix" value={f.kindPrefix ?? ""} onChange={set("kindPrefix")} />}
      <Field label={t("forSeconds")} name="rule-for" type="number" value={f.forSeconds} onChange={set("forSeconds")} error={errors.forSeconds} />
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("scope")}
        <select className={sel} value={f.scopeType} onChange={set("scopeType")} name="rule-scope">
          <option value="everything">{t("scopeOption.everything")}</option>
          <option value="host">{t("scopeOption.host")}</option>
          <option value="tag">{t("scopeOption.tag")}</option>
        </select>
      </label>
      {f.scopeType !== "everything" && (
        <Field
          label={f.scopeType === "host" ? t("hostId") : t("tag")}
          name="rule-scope-id"
          value={f.scopeId}
          onChange={set("scopeId")}
          error={errors["scope.id"]}
        />
      )}
      <fieldset className="col-span-2 flex flex-wrap gap-3 text-sm">
        <legend className="mb-1 font-medium">{t("notify")}</legend>
        {channels.length === 0 && <span className="text-slate-500">{t("noChannels")}</span>}
        {channels.map((c) => (
          <label key={c.id} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={picked.includes(c.id)}
              onChange={(e) => setPicked(e.target.checked ? [...picked, c.id] : picked.filter((x) => x !== c.id))}
            />
            {t("channelOption", { name: c.name, kind: c.kind })}
          </label>
        ))}
      </fieldset>
      <div className="col-span-2">
        <Button type="submit" disabled={create.isPending}>
          {t("create")}
        </Button>
      </div>
    </form>
  );
}

export function RulesPanel() {
  const { data, isPending } = useRules();
  const manage = useCan("alert.manage");
  const patch = useAlertMutation(alertApi.patchRule);
  const remove = useAlertMutation(alertApi.deleteRule);
  const t = useTranslations("alerts.rules");
  const tKind = useTranslations("alerts.rules.kind");
  return (
    <div className="flex flex-col gap-4">
      {isPending ? (
        <p className="text-sm text-slate-500">{t("loading")}</p>
      ) : !data?.rules.length ? (
        <EmptyState title={t("emptyTitle")}>{t("emptyText")}</EmptyState>
      ) : (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900">
          <thead className="text-slate-500">
            <tr>
              <th className="p-2">{t("name")}</th>
              <th>{t("kindLabel")}</th>
              <th>{t("scope")}</th>
              <th>{t("for")}</th>
              <th>{t("enabled")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.rules.map((r) => (
              <tr key={r.id} data-testid="rule-row" className="border-t border-slate-100 dark:border-slate-800">
                <td className="p-2">{r.name}</td>
                <td>{r.kind in KIND_KEY ? tKind(KIND_KEY[r.kind]) : r.kind}</td>
                <td>{scopeText(r, t)}</td>
                <td>{t("seconds", { s: r.forSeconds })}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t("enable", { name: r.name })}
                    checked={r.enabled}
                    disabled={!manage}
                    onChange={(e) => patch.mutate({ id: r.id, enabled: e.target.checked })}
                  />
                </td>
                <td className="p-1 text-right">
                  {manage && (
                    <Button variant="danger" onClick={() => remove.mutate(r.id)}>
                      {t("delete")}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage && <NewRuleForm />}
    </div>
  );
}
