"use client";
// The wizard's sections for boot source, disk and network: each offers only what the host
// has (create-options), and says so when there is nothing to offer.
import { NIC_MODELS, type VmCreateOptions } from "@/server/protocol/vm-spec";
import type { FormState } from "./form-state";
import { Choice, FieldError, Input, Section, Select } from "./controls";

type Props = { o: VmCreateOptions; f: FormState; set: (p: Partial<FormState>) => void; errors: Record<string, string> };

export function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(bytes >= 10 * 1024 ** 3 ? 0 : 1)} GiB`;
}

const base = (p: string) => p.split("/").pop() ?? p;

export function BootSection({ o, f, set, errors }: Props) {
  const isos = o.pools.filter((p) => p.active).flatMap((p) => p.volumes.filter((v) => v.iso).map((v) => ({ pool: p.name, ...v })));
  return (
    <Section title="Boot source">
      <Choice
        name="boot"
        legend="Boot source"
        value={f.bootKind}
        onChange={(bootKind) => set({ bootKind, ...(bootKind === "disk" && f.diskKind === "none" ? { diskKind: "existing" } : {}) })}
        options={[
          { value: "cdrom", label: "Install from an ISO", disabled: !isos.length, hint: "no ISO in any active pool" },
          { value: "kernel", label: "Direct kernel boot", disabled: !o.kernels.length, hint: "no kernel in the agent's kernel directories" },
          { value: "disk", label: "Boot an existing disk" },
        ]}
      />
      {f.bootKind === "cdrom" && (
        <Select
          id="boot.volume"
          label="ISO image"
          value={f.isoVolume ? `${f.isoPool}\u0000${f.isoVolume}` : ""}
          onChange={(v) => {
            const [isoPool = "", isoVolume = ""] = v.split("\u0000");
            set({ isoPool, isoVolume });
          }}
          error={errors["boot.volume"] ?? errors["boot.pool"]}
        >
          <option value="">Choose…</option>
          {isos.map((i) => (
            <option key={`${i.pool}/${i.name}`} value={`${i.pool}\u0000${i.name}`}>
              {i.name} ({i.pool}, {gib(i.capacity)})
            </option>
          ))}
        </Select>
      )}
      {f.bootKind === "kernel" && (
        <div className="grid gap-3 md:grid-cols-3">
          <Select id="boot.kernel" label="Kernel" value={f.kernel} onChange={(kernel) => set({ kernel })} error={errors["boot.kernel"]}>
            {o.kernels.map((k) => (
              <option key={k} value={k}>
                {base(k)}
              </option>
            ))}
          </Select>
          <Select id="boot.initrd" label="Initrd" value={f.initrd} onChange={(initrd) => set({ initrd })} error={errors["boot.initrd"]}>
            <option value="">None</option>
            {o.initrds.map((k) => (
              <option key={k} value={k}>
                {base(k)}
              </option>
            ))}
          </Select>
          <Input
            id="boot.cmdline"
            label="Kernel command line"
            value={f.cmdline}
            onChange={(cmdline) => set({ cmdline })}
            error={errors["boot.cmdline"]}
          />
        </div>
      )}
    </Section>
  );
}

export function DiskSection({ o, f, set, errors }: Props) {
  const active = o.pools.filter((p) => p.active);
  const pool = active.find((p) => p.name === f.diskPool);
  const existing = active.find((p) => p.name === f.existingPool);
  return (
    <Section title="Disk">
      <Choice
        name="disk"
        legend="Disk"
        value={f.diskKind}
        onChange={(diskKind) => set({ diskKind })}
        options={[
          { value: "new", label: "New volume", disabled: !active.length, hint: "no active storage pool" },
          { value: "existing", label: "Existing volume", disabled: !active.length, hint: "no active storage pool" },
          { value: "none", label: "No disk" },
        ]}
      />
      <FieldError id="disk" error={errors.disk} />
      {f.diskKind === "new" && (
        <div className="grid gap-3 md:grid-cols-3">
          <Select
            id="disk.pool"
            label="Pool"
            value={f.diskPool}
            onChange={(diskPool) => set({ diskPool })}
            error={errors["disk.pool"]}
            hint={pool && `${gib(pool.available)} free`}
          >
            {active.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </Select>
          <Input
            id="disk.sizeBytes"
            label="Size (GiB)"
            type="number"
            min={0.001}
            step="any"
            inputMode="decimal"
            value={f.diskGiB}
            onChange={(diskGiB) => set({ diskGiB })}
            error={errors["disk.sizeBytes"]}
          />
          <Select id="disk.format" label="Format" value={f.diskFormat} onChange={(v) => set({ diskFormat: v as FormState["diskFormat"] })}>
            <option value="qcow2">qcow2 (thin, snapshots)</option>
            <option value="raw">raw (sparse file)</option>
          </Select>
        </div>
      )}
      {f.diskKind === "existing" && (
        <div className="grid gap-3 md:grid-cols-2">
          <Select
            id="disk.existingPool"
            label="Pool"
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
            label="Volume"
            value={f.existingVolume}
            onChange={(existingVolume) => set({ existingVolume })}
            error={errors["disk.volume"]}
          >
            <option value="">{existing?.volumes.some((v) => !v.iso) ? "Choose…" : "No volume in this pool"}</option>
            {existing?.volumes
              .filter((v) => !v.iso)
              .map((v) => (
                <option key={v.name} value={v.name}>
                  {v.name} ({gib(v.capacity)})
                </option>
              ))}
          </Select>
        </div>
      )}
    </Section>
  );
}

export function NetworkSection({ o, f, set, errors }: Props) {
  return (
    <Section title="Network">
      <Select
        id="network.name"
        label="Virtual network"
        value={f.network}
        onChange={(network) => set({ network })}
        error={errors["network.name"]}
        hint={o.networks.length ? "A NIC on this libvirt network" : "This host has no libvirt network"}
      >
        <option value="">No network</option>
        {o.networks.map((n) => (
          <option key={n.name} value={n.name}>
            {n.name}
            {n.active ? "" : " (inactive)"}
          </option>
        ))}
      </Select>
      {f.network && (
        <Select
          id="network.model"
          label="NIC model"
          value={f.nicModel}
          onChange={(m) => set({ nicModel: m as FormState["nicModel"] })}
          error={errors["network.model"]}
          hint="virtio is fastest; e1000 or rtl8139 for guests without virtio drivers (older Windows)"
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
