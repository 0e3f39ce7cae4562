"use client";
// Notification channels: the list (send test, delete), a form for a new one, and the
// secret of a new webhook shown once.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { CHANNEL_KINDS, type ChannelKind } from "@/server/protocol/alert-kinds";
import { ApiClientError } from "../lib/api";
import { alertApi, useAlertMutation, useChannels } from "../lib/alerts";
import { Button, EmptyState, Field } from "../ui/form";
import { CopyOnce } from "../ui/copy-once";
import { useToast } from "../ui/toasts";

function configOf(kind: ChannelKind, f: Record<string, string>): Record<string, unknown> {
  if (kind !== "email") return { url: f.url };
  return {
    host: f.host,
    port: Number(f.port),
    from: f.from,
    to: (f.to ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    ...(f.username ? { username: f.username } : {}),
  };
}

function NewChannelForm({ onSecret }: { onSecret: (s: string) => void }) {
  const toast = useToast();
  const [kind, setKind] = useState<ChannelKind>("webhook");
  const [f, setF] = useState<Record<string, string>>({ name: "", url: "", host: "", port: "25", from: "", to: "", username: "", secret: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useAlertMutation(alertApi.createChannel);
  const t = useTranslations("alerts.channels");
  const tKind = useTranslations("alerts.channels.kindValue");
  const set = (k: string) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = () =>
    create.mutate(
      { name: f.name, kind, config: configOf(kind, f), ...(f.secret ? { secret: f.secret } : {}) },
      {
        onSuccess: (c) => (toast(t("created"), "success"), setErrors({}), kind === "webhook" && onSecret(c.secret)),
        onError: (e) => (setErrors(e instanceof ApiClientError ? e.fields : {}), toast(e.message, "error")),
      },
    );
  return (
    <form
      className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(e) => (e.preventDefault(), submit())}
      aria-label={t("form")}
    >
      <Field label={t("name")} name="channel-name" value={f.name} onChange={set("name")} error={errors.name} required />
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("kind")}
        <select
          className="rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
          value={kind}
          onChange={(e) => setKind(e.target.value as ChannelKind)}
          name="channel-kind"
        >
          {CHANNEL_KINDS.map((k) => (
            <option key={k} value={k}>
              {tKind(k)}
            </option>
          ))}
        </select>
      </label>
      {kind !== "email" ? (
        <Field
          label={kind === "ntfy" ? t("topicUrl") : t("url")}
          name="channel-url"
          value={f.url}
          onChange={set("url")}
          error={errors["config.url"]}
        />
      ) : (
        <>
          <Field label={t("smtpHost")} name="channel-host" value={f.host} onChange={set("host")} error={errors["config.host"]} />
          <Field label={t("port")} name="channel-port" type="number" value={f.port} onChange={set("port")} error={errors["config.port"]} />
          <Field label={t("from")} name="channel-from" value={f.from} onChange={set("from")} error={errors["config.from"]} />
          <Field label={t("to")} name="channel-to" value={f.to} onChange={set("to")} error={errors["config.to"]} />
          <Field label={t("smtpUser")} name="channel-user" value={f.username} onChange={set("username")} />
        </>
      )}
      {kind !== "webhook" && (
        <Field
          label={kind === "email" ? t("smtpPassword") : t("accessToken")}
          name="channel-secret"
          type="password"
          value={f.secret}
          onChange={set("secret")}
        />
      )}
      <div className="col-span-2">
        <Button type="submit" disabled={create.isPending}>
          {t("create")}
        </Button>
      </div>
    </form>
  );
}

export function ChannelsPanel() {
  const toast = useToast();
  const { data, isPending } = useChannels();
  const [secret, setSecret] = useState<string | null>(null);
  const remove = useAlertMutation(alertApi.deleteChannel);
  const test = useAlertMutation(alertApi.testChannel);
  const t = useTranslations("alerts.channels");
  const tKind = useTranslations("alerts.channels.kindValue");
  const target = (c: { kind: string; config: Record<string, unknown> }) =>
    c.kind === "email" ? `${String(c.config.host)}:${String(c.config.port)} → ${(c.config.to as string[]).join(", ")}` : String(c.config.url);
  return (
    <div className="flex flex-col gap-4">
      {secret && <CopyOnce label={t("secretLabel")} value={secret} onDone={() => setSecret(null)} />}
      {isPending ? (
        <p className="text-sm text-slate-500">{t("loading")}</p>
      ) : !data?.channels.length ? (
        <EmptyState title={t("emptyTitle")}>{t("emptyText")}</EmptyState>
      ) : (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900">
          <thead className="text-slate-500">
            <tr>
              <th className="p-2">{t("name")}</th>
              <th>{t("kind")}</th>
              <th>{t("target")}</th>
              <th>{t("secret")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.channels.map((c) => (
              <tr key={c.id} data-testid="channel-row" className="border-t border-slate-100 dark:border-slate-800">
                <td className="p-2">{c.name}</td>
                <td>{tKind(c.kind)}</td>
                <td className="max-w-xs truncate font-mono text-xs">{target(c)}</td>
                <td className="font-mono text-xs">{c.secret || "—"}</td>
                <td className="flex justify-end gap-2 p-1">
                  <Button
                    variant="secondary"
                    onClick={() =>
                      test.mutate(c.id, {
                        onSuccess: (r) => toast(r.ok ? t("testSent") : t("testFailed", { error: r.error ?? "" }), r.ok ? "success" : "error"),
                      })
                    }
                  >
                    {t("sendTest")}
                  </Button>
                  <Button variant="danger" onClick={() => remove.mutate(c.id)}>
                    {t("delete")}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewChannelForm onSecret={setSecret} />
    </div>
  );
}
