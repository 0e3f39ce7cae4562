"use client";
// Define a virtual network: mode first (NAT, isolated, host bridge), then what that mode
// needs, prefilled with a subnet no existing network uses. The server checks everything
// again; its field errors (zod's, or the agent's "bridge: … does not exist") show under the field.
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { NetworkDefineSpec, NetworkSummary } from "@/server/protocol/network";
import { ApiClientError } from "../lib/api";
import { Button, Field } from "../ui/form";
import { useToast } from "../ui/toasts";
import { useNetworkMutations } from "./network-resources";
import { rangeFor, suggestName, suggestSubnet } from "./suggest";

type Mode = NetworkDefineSpec["mode"];
// Labels and help texts: networks.mode.<mode> and networks.modeHelp.<mode>.
const MODES: readonly Mode[] = ["nat", "isolated", "bridge"];

/** The agent prefixes its own field refusals ("bridge: …", "address: …"): show them under that field. */
function fieldOf(message: string): string | null {
  const m = /^(bridge|address|name): /.exec(message);
  return m ? m[1]! : null;
}

/** Bridges a bridged network can join: the host's, minus the virbrN libvirt made for its own NAT/isolated networks. */
function joinable(existing: readonly NetworkSummary[], bridges: readonly string[]): string[] {
  const own = new Set(existing.filter((n) => n.mode !== "bridge" && n.bridge).map((n) => n.bridge));
  return bridges.filter((b) => !own.has(b));
}

export function DefineNetworkDialog({
  hostId,
  open,
  existing,
  bridges,
  onClose,
}: {
  hostId: string;
  open: boolean;
  existing: readonly NetworkSummary[];
  /** The host's Linux bridges; those libvirt made for its own NAT/isolated networks are not offered. */
  bridges: readonly string[];
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { define, action } = useNetworkMutations(hostId);
  const toast = useToast();
  const t = useTranslations("networks.define");
  const tc = useTranslations("common");
  const tMode = useTranslations("networks.mode");
  const tHelp = useTranslations("networks.modeHelp");
  const [mode, setMode] = useState<Mode>("nat");
  const [v, setV] = useState({ name: "", address: "", prefix: "24", dhcpStart: "", dhcpEnd: "", bridge: "br0" });
  const [dhcp, setDhcp] = useState(true);
  const [startNow, setStartNow] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const candidates = joinable(existing, bridges);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      // Fresh defaults each time it opens: the list may have changed since.
      const s = suggestSubnet(existing);
      setV({
        name: suggestName(existing),
        address: s.address,
        prefix: String(s.prefix),
        dhcpStart: s.dhcpStart,
        dhcpEnd: s.dhcpEnd,
        bridge: joinable(existing, bridges)[0] ?? "br0",
      });
      setMode("nat");
      setDhcp(true);
      setStartNow(true);
      setErrors({});
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open, existing, bridges]);

  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const next = { ...v, [k]: e.target.value };
    // The DHCP range follows the subnet while the admin edits address or prefix.
    if (k === "address" || k === "prefix") Object.assign(next, rangeFor(next.address, Number(next.prefix)) ?? {});
    setV(next);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const spec: NetworkDefineSpec =
      mode === "bridge"
        ? { name: v.name.trim(), mode, bridge: v.bridge.trim() }
        : {
            name: v.name.trim(),
            mode,
            address: v.address.trim(),
            prefix: Number(v.prefix),
            ...(dhcp ? { dhcpStart: v.dhcpStart.trim(), dhcpEnd: v.dhcpEnd.trim() } : {}),
          };
    setErrors({});
    define.mutate(spec, {
      onSuccess: (r) => {
        if (r.task.status === "failed") return setErrors({ form: r.task.error ?? t("failed") });
        toast(r.task.status === "succeeded" ? t("defined", { name: spec.name }) : t("defining", { name: spec.name }), "success");
        // Still defining (202): starting now would find the network busy; the admin starts it from the table.
        if (startNow && r.task.status === "succeeded")
          // A refused start (e.g. dnsmasq missing) is toasted by the app-wide mutation error handler.
          action.mutate({ name: spec.name, action: { action: "start" } });
        onClose();
      },
      onError: (err) => {
        if (!(err instanceof ApiClientError)) return setErrors({ form: err.message });
        const fields = Object.fromEntries(Object.entries(err.fields).filter(([k]) => k !== "task"));
        const named = fieldOf(err.message);
        if (named) fields[named] = err.message.slice(named.length + 2);
        setErrors(Object.keys(fields).length ? fields : { form: err.message });
      },
    });
  };

  const routed = mode !== "bridge";
  return (
    <dialog
      ref={ref}
      onCancel={onClose}
      aria-labelledby="define-network-title"
      className="m-auto w-[34rem] max-w-[95vw] rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-black/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 id="define-network-title" className="mb-3 text-lg font-semibold">
        {t("title")}
      </h2>
      <form onSubmit={submit} noValidate aria-label={t("title")} className="flex flex-col gap-3">
        <Field label={t("name")} name="name" value={v.name} onChange={set("name")} required maxLength={64} error={errors.name} autoFocus />
        <fieldset className="flex flex-col gap-1">
          <legend className="text-sm font-medium">{t("mode")}</legend>
          {MODES.map((m) => (
            <label key={m} className="flex items-start gap-2 text-sm">
              <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} className="mt-1" />
              <span>
                <span className="font-medium">{tMode(m)}</span> <span className="text-slate-500">{tHelp(m)}</span>
              </span>
            </label>
          ))}
          {errors.mode && <p className="text-sm text-red-600 dark:text-red-400">{errors.mode}</p>}
        </fieldset>
        {routed ? (
          <>
            <div className="grid grid-cols-[1fr_6rem] gap-3">
              <Field label={t("address")} name="address" value={v.address} onChange={set("address")} inputMode="decimal" error={errors.address} />
              <Field
                label={t("prefix")}
                name="prefix"
                type="number"
                min={8}
                max={30}
                value={v.prefix}
                onChange={set("prefix")}
                error={errors.prefix}
              />
            </div>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={dhcp} onChange={(e) => setDhcp(e.target.checked)} />
              {t("dhcp")}
            </label>
            {dhcp && (
              <div className="grid grid-cols-2 gap-3">
                <Field
                  label={t("dhcpStart")}
                  name="dhcpStart"
                  value={v.dhcpStart}
                  onChange={set("dhcpStart")}
                  inputMode="decimal"
                  error={errors.dhcpStart}
                />
                <Field label={t("dhcpEnd")} name="dhcpEnd" value={v.dhcpEnd} onChange={set("dhcpEnd")} inputMode="decimal" error={errors.dhcpEnd} />
              </div>
            )}
          </>
        ) : (
          <div className="flex flex-col gap-1">
            <Field
              label={t("bridge")}
              name="bridge"
              value={v.bridge}
              onChange={set("bridge")}
              maxLength={15}
              list="host-bridges"
              error={errors.bridge}
            />
            <datalist id="host-bridges">
              {candidates.map((b) => (
                <option key={b} value={b} />
              ))}
            </datalist>
            <p className="text-xs text-slate-500">{candidates.length ? t("bridges", { bridges: candidates.join(", ") }) : t("noBridges")}</p>
          </div>
        )}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={startNow} onChange={(e) => setStartNow(e.target.checked)} />
          {t("startNow")}
        </label>
        {errors.form && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {errors.form}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            {tc("actions.cancel")}
          </Button>
          <Button type="submit" disabled={define.isPending}>
            {define.isPending ? t("submitting") : t("submit")}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
