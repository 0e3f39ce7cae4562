// Changing an existing VM: the kinds of change Hangar offers, their snapshot tree and the
// answers, shared by agent, server and browser. Every string that ends up in libvirt XML
// is bounded here, and the XML itself is built by the agent's builder, never pasted.
import { z } from "zod";
import { DomainSummary, Uuid } from "./domain";
import { PoolName } from "./pool";
import { VolumeName } from "./volume";
import { AttachedNetworkName, DISK_FORMATS, ExistingVolumeName, NicModel } from "./vm-spec";

/** A disk's target name as libvirt names them: vda, sdb, hdc, vdaa… */
export const DiskTarget = z.string().regex(/^(vd|sd|hd|xvd)[a-z]{1,3}$/, "a disk target such as vda or sdb");
export const Mac = z
  .string()
  .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, "a MAC address such as 52:54:00:12:34:56")
  .transform((m) => m.toLowerCase());
// Pools, volumes and networks are named by the same rules as everywhere else (pool.ts,
// volume.ts, vm-spec.ts), so what the storage page lists can be attached here.
/** A new domain's name (clone): also part of derived volume names. */
export const DomainName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
export const SnapshotName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "1-64 letters, digits, '.', '_' or '-'");

export const DISK_BUSES = ["virtio", "sata", "scsi", "usb"] as const;
export const DiskBus = z.enum(DISK_BUSES);
export const DiskFormat = z.enum(DISK_FORMATS);
export { NIC_MODELS, NicModel } from "./vm-spec";
/** What `<os><boot dev=…>` may name, in the order the firmware tries them. */
export const BOOT_DEVICES = ["hd", "cdrom", "network", "fd"] as const;
export const BootDevice = z.enum(BOOT_DEVICES);

const GiB = 1024 ** 3;
/** Disk sizes in bytes: at least 1 MiB, at most 64 TiB (exact as JSON numbers). */
export const DiskBytes = z
  .number()
  .int()
  .min(1024 * 1024)
  .max(64 * 1024 * GiB);

export const VmChange = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("vcpus"), count: z.number().int().min(1).max(4096) }),
  z.strictObject({
    kind: z.literal("memory"),
    mib: z
      .number()
      .int()
      .min(16)
      .max(16 * 1024 * 1024),
  }),
  z.strictObject({
    kind: z.literal("disk.add"),
    pool: PoolName,
    // An existing volume of the pool, or a new one made for this disk.
    volume: VolumeName,
    new: z.strictObject({ sizeBytes: DiskBytes, format: DiskFormat }).optional(),
    bus: DiskBus,
  }),
  z.strictObject({ kind: z.literal("disk.remove"), target: DiskTarget }),
  z.strictObject({ kind: z.literal("disk.resize"), target: DiskTarget, sizeBytes: DiskBytes }),
  z.strictObject({ kind: z.literal("cdrom.insert"), target: DiskTarget.optional(), pool: PoolName, volume: ExistingVolumeName }),
  z.strictObject({ kind: z.literal("cdrom.eject"), target: DiskTarget }),
  z.strictObject({ kind: z.literal("nic.add"), network: AttachedNetworkName, model: NicModel }),
  z.strictObject({ kind: z.literal("nic.remove"), mac: Mac }),
  z.strictObject({ kind: z.literal("nic.link"), mac: Mac, up: z.boolean() }),
  z.strictObject({ kind: z.literal("nic.model"), mac: Mac, model: NicModel }),
  z.strictObject({
    kind: z.literal("boot.order"),
    devices: z
      .array(BootDevice)
      .min(1)
      .max(4)
      .refine((d) => new Set(d).size === d.length, "each device once"),
  }),
  z.strictObject({ kind: z.literal("autostart"), enabled: z.boolean() }),
  z.strictObject({ kind: z.literal("description"), text: z.string().max(4096) }),
]);
export type VmChange = z.infer<typeof VmChange>;
export type VmChangeKind = VmChange["kind"];
export const VM_CHANGE_KINDS = VmChange.options.map((o) => o.shape.kind.value) as VmChangeKind[];

/**
 * Where a change took effect: "live+config" = now and at every later boot; "next-boot" =
 * written to the definition only (the machine is off, or QEMU cannot do it live);
 * "live" = the running guest only.
 */
export const APPLIED = ["live", "next-boot", "live+config"] as const;
export const Applied = z.enum(APPLIED);
export type Applied = z.infer<typeof Applied>;

export const VmEditResult = z.strictObject({ applied: Applied, domain: DomainSummary });
export type VmEditResult = z.infer<typeof VmEditResult>;

/** What the edit forms need beyond the inventory row: the ceilings and settings the row leaves out. */
export const VmEditInfo = z.strictObject({
  maxVcpus: z.number().int().nonnegative(),
  /** vCPUs the definition boots with (the row shows the running count). */
  configVcpus: z.number().int().nonnegative(),
  configMemoryMiB: z.number().nonnegative(),
  maxMemoryMiB: z.number().nonnegative(),
  hostMemoryMiB: z.number().nonnegative(),
  description: z.string().max(65_536),
  boot: z.array(z.string().max(32)).max(8),
  nics: z
    .array(
      z.strictObject({ mac: z.string().max(32), network: z.string().max(256).nullable(), model: z.string().max(64).nullable(), up: z.boolean() }),
    )
    .max(256),
  /** The persistent definition (what the next boot uses), for the XML tab; passwords left out. */
  configXml: z.string().max(1024 * 1024),
  /** Volumes (paths) the domain's disks use, with the pool they live in when libvirt knows it. */
  volumes: z
    .array(
      z.strictObject({
        path: z.string().max(4096),
        target: z.string().max(64),
        device: z.string().max(32),
        pool: z.string().max(256).nullable(),
        capacity: z.number().nonnegative().nullable(),
      }),
    )
    .max(256),
});
export type VmEditInfo = z.infer<typeof VmEditInfo>;

export const SNAPSHOT_STATES = ["running", "paused", "shutoff", "disk-snapshot", "crashed", "pmsuspended", "blocked", "shutdown", "nostate"] as const;
export const SnapshotRow = z.strictObject({
  name: z.string().max(256),
  parent: z.string().max(256).nullable(),
  description: z.string().max(65_536),
  /** ISO time libvirt recorded. */
  createdAt: z.string().max(64),
  state: z.string().max(32),
  hasMemory: z.boolean(),
  current: z.boolean(),
});
export type SnapshotRow = z.infer<typeof SnapshotRow>;

export const VmParams = z.strictObject({ uuid: Uuid });
