"use client";
// The wizard's sections for boot source, disk and network: each offers only what the host
// has (create-options), and says so when there is nothing to offer.
import { useTranslations } from "next-intl";
import { NIC_MODELS, type VmCreateOptions } from "@/server/protocol/vm-spec";
import type { FormState } from "./form-state";
import { Choice, FieldError, Input, Section, Select } from "./controls";
import { useFormat, type Format } from "../../i18n/format";

type Props = { o: VmCreateOptions; f: FormState; set: (p: Partial<FormState>) => void; errors: Record<string, string> };

export function gib(bytes: number, f: Format): string {
  return `${f.number(bytes / 1024 ** 3, bytes >= 10 * 1024 ** 3 ? 0 : 1)} GiB`;
}

const base = (p: string) => p.split("/").pop() ?? p;

export function BootSection({ o, f, set, errors }: Props) {
  const t = useTranslations("machines.create.boot");
  const tc = useTranslations("machines.create");
  const fmt = useFormat();
  const isos = o.pools.filter((p) => p.active).flatMap((p) => p.volumes.filter((v) => v.iso).map((v) => ({ pool: p.name, ...v })));
  return (
    <Section title={t("title")}>
      <Choice
        name="boot"
        legend={t("title")}
        value={f.bootKind}
        onChange={(bootKind) => set({ bootKind, ...(bootKind === "disk" && f.diskKind === "none" ? { diskKind: "existing" } : {}) })}
        options={[
          { value: "cdrom", label: t("cdrom"), disabled: !isos.length, hint: t("noIso") },
          { value: "kernel", label: t("kernel"), disabled: !o.kernels.length, hint: t("noKernel") },
          { value: "disk", label: t("disk") },
        ]}
      />
      {f.bootKind === "cdrom" && (
        <Select
          id="boot.volume"
          label={t("iso")}
          value={f.isoVolume ? `${f.isoPool}\u0000${f.isoVolume}` : ""}
          onChange={(v) => {
            const [isoPool = "", isoVolume = ""] = v.split("\u0000");
            set({ isoPool, isoVolume });
          }}
          error={errors["boot.volume"] ?? errors["boot.pool"]}
        >
          <option value="">{tc("choose")}</option>
          {isos.map((i) => (
            <option key={`${i.pool}/${i.name}`} value={`${i.pool}\u0000${i.name}`}>
              {t("isoOption", { name: i.name, pool: i.pool, size: gib(i.capacity, fmt) })}
            </option>
          ))}
        </Select>
      )}
      {f.bootKind === "kernel" && (
        <div className="grid gap-3 md:grid-cols-3">
          <Select id="boot.kernel" label={t("kernelFile")} value={f.kernel} onChange={(kernel) => set({ kernel })} error={errors["boot.kernel"]}>
            {o.kernels.map((k) => (
              <option key={k} value={k}>
                {base(k)}
              </option>
            ))}
          </Select>
          <Select id="boot.initrd" label={t("initrd")} value={f.initrd} onChange={(initrd) => set({ initrd })} error={errors["boot.initrd"]}>
            <option value="">{t("noInitrd")}</option>
            {o.initrds.map((k) => (
              <option key={k} value={k}>
                {base(k)}
              </option>
            ))}
          </Select>
          <Input id="boot.cmdline" label={t("cmdline")} value={f.cmdline} onChange={(cmdline) => set({ cmdline })} error={errors["boot.cmdline"]} />
        </div>
      )}
    </Section>
  );
}

export function DiskSection({ o, f, set, errors }: Props) {
  const t = useTranslations("machines.create.disk");
  const tc = useTranslations("machines.create");
  const fmt = useFormat();
  const active = o.pools.filter((p) => p.active);
  const pool = active.find((p) => p.name === f.diskPool);
  const existing = active.find((p) => p.name === f.existingPool);
  return (
    <Section title={t("title")}>
      <Choice
        name="disk"
        legend={t("title")}
        value={f.diskKind}
        onChange={(diskKind) => set({ diskKind })}
        options={[
          { value: "new", label: t("new"), disabled: !active.length, hint: t("noPool") },
          { value: "existing", label: t("existing"), disabled: !active.length, hint: t("noPool") },
          { value: "none", label: t("none") },
        ]}
      />
      <FieldError id="disk" error={errors.disk} />
      {f.diskKind === "new" && (
        <div className="grid gap-3 md:grid-cols-3">
          <Select
            id="disk.pool"
            label={t("pool")}
            value={f.diskPool}
            onChange={(diskPool) => set({ diskPool })}
            error={errors["disk.pool"]}
            hint={pool && t("free", { size: gib(pool.available, fmt) })}
          >
            {active.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </Select>
          <Input
            id="disk.sizeBytes"
            label={t("size")}
            type="number"
            min={0.001}
            step="any"
            inputMode="decimal"
            value={f.diskGiB}
            onChange={(diskGiB) => set({ diskGiB })}
            error={errors["disk.sizeBytes"]}
          />
          <Select id="disk.format" label={t("format")} value={f.diskFormat} onChange={(v) => set({ diskFormat: v as FormState["diskFormat"] })}>
            <option value="qcow2">{t("qcow2")}</option>
            <option value="raw">{t("raw")}</option>
          </Select>
        </div>
      )}
      {f.diskKind === "existing" && (
        <div className="grid gap-3 md:grid-cols-2">
          <Select
            id="disk.existingPool"
            label={t("pool")}
            value={f.existingPool}
            onChange={(existingPool) => set({ existingPool, existingVolume: "" })}
            error={errors["disk.pool"]}
          >
            {active.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </Select>
          <Select
            id="disk.volume"
            label={t("volume")}
            value={f.existingVolume}
            onChange={(existingVolume) => set({ existingVolume })}
            error={errors["disk.volume"]}
          >
            <option value="">{existing?.volumes.some((v) => !v.iso) ? tc("choose") : t("noVolume")}</option>
            {existing?.volumes
              .filter((v) => !v.iso)
              .map((v) => (
                <option key={v.name} value={v.name}>
                  {t("volumeOption", { name: v.name, size: gib(v.capacity, fmt) })}
                </option>
              ))}
          </Select>
        </div>
      )}
    </Section>
  );
}

export function NetworkSection({ o, f, set, errors }: Props) {
  const t = useTranslations("machines.create.network");
  return (
    <Section title={t("title")}>
      <Select
        id="network.name"
        label={t("network")}
        value={f.network}
        onChange={(network) => set({ network })}
        error={errors["network.name"]}
        hint={o.networks.length ? t("hint") : t("noNetworks")}
      >
        <option value="">{t("none")}</option>
        {o.networks.map((n) => (
          <option key={n.name} value={n.name}>
            {n.active ? n.name : t("inactive", { name: n.name })}
          </option>
        ))}
      </Select>
      {f.network && (
        <Select
          id="network.model"
          label={t("model")}
          value={f.nicModel}
          onChange={(m) => set({ nicModel: m as FormState["nicModel"] })}
          error={errors["network.model"]}
          hint={t("modelHint")}
        >
          {NIC_MODELS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </Select>
      )}
    </Section>
  );
}
