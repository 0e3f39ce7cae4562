// What a new VM is made of, as the wizard (or an API client) sends it: typed and checked
// here, turned into domain XML by the agent's builder. Names and texts may hold any
// Unicode, '<', '&' and quotes included: escaping is the XML builder's job, not the user's.
import { z } from "zod";
import { PoolName } from "./pool";

// Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, lone
// surrogates, U+FFFE/U+FFFF): refused here, since libvirt could never store them.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/**
 * A domain name libvirt accepts and QEMU can run: 1-200 characters, no '/' (QEMU's
 * driver refuses it) and no control characters. At most 240 bytes of UTF-8 as well:
 * libvirt names files after the domain (<name>.log, <name>_VARS.fd) and a file name
 * holds 255 bytes.
 */
export const VmName = z
  .string()
  .refine((s) => [...s].length >= 1 && [...s].length <= 200, "1-200 characters")
  .refine((s) => utf8Bytes(s) <= 240, "at most 240 bytes of UTF-8 (libvirt names files after the machine)")
  .refine((s) => !s.includes("/"), "no '/'")
  .refine((s) => !CONTROL.test(s) && !NOT_XML.test(s), "no control characters")
  .refine((s) => s.trim() === s, "no leading or trailing spaces");

/** Free text kept in the domain's <description>; line breaks are '\n' (XML turns a '\r' into '\n'). */
export const VmDescription = z
  .string()
  .max(4096)
  .refine((s) => !NOT_XML.test(s), "no control characters other than tab and line feed")
  .refine((s) => !s.includes("\r"), "line breaks must be \\n (XML stores \\r as \\n)");

/** One line shown next to the name (libvirt refuses a title with a line break). */
export const VmTitle = z
  .string()
  .max(4096)
  .refine((s) => !CONTROL.test(s) && !NOT_XML.test(s), "one line, no control characters");

/** A volume inside a pool, by name (libvirt's volume names are file names in dir pools). */
export const ExistingVolumeName = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !s.includes("/") && !CONTROL.test(s), "a volume name (no '/', no control characters)");

/** An absolute host path to a kernel or initrd (the agent also requires an allowed directory). */
export const BootFilePath = z
  .string()
  .max(4096)
  .regex(/^\//, "an absolute path")
  .refine((p) => !CONTROL.test(p), "no control characters")
  .refine((p) => !p.split("/").includes(".."), "no '..' segment");

// Any existing network, also one made outside Hangar (network.ts NetworkName is the stricter rule for new ones).
export const AttachedNetworkName = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !s.includes("/") && !CONTROL.test(s), "a network name");

export const VmBoot = z.discriminatedUnion("kind", [
  /** Install from an ISO volume of a pool (attached as a read-only SATA CD-ROM, booted first). */
  z.strictObject({ kind: z.literal("cdrom"), pool: PoolName, volume: ExistingVolumeName }),
  /** Direct kernel boot (the test guest, appliances): files from the agent's allowed kernel directories. */
  z.strictObject({
    kind: z.literal("kernel"),
    kernel: BootFilePath,
    initrd: BootFilePath.nullable(),
    cmdline: z
      .string()
      .max(2048)
      .refine((s) => !CONTROL.test(s), "one line, no control characters"),
  }),
  /** Boot from the VM's disk (an existing volume with an installed system). */
  z.strictObject({ kind: z.literal("disk") }),
]);
export type VmBoot = z.infer<typeof VmBoot>;

export const DISK_FORMATS = ["qcow2", "raw"] as const;
const MiB = 1024 * 1024;

export const VmDisk = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("new"),
    pool: PoolName,
    // Whole MiB, 1 MiB to 64 TiB: QEMU rounds odd sizes anyway, and larger is a typo.
    sizeBytes: z
      .number()
      .int()
      .min(MiB, "at least 1 MiB")
      .max(64 * 1024 * 1024 * MiB, "at most 64 TiB")
      .refine((n) => n % MiB === 0, "whole MiB"),
    format: z.enum(DISK_FORMATS),
  }),
  z.strictObject({ kind: z.literal("existing"), pool: PoolName, volume: ExistingVolumeName }),
  z.strictObject({ kind: z.literal("none") }),
]);
export type VmDisk = z.infer<typeof VmDisk>;

/** NIC models QEMU emulates that guests commonly have drivers for (virtio fastest; e1000 for guests without virtio drivers). */
export const NIC_MODELS = ["virtio", "e1000", "e1000e", "rtl8139"] as const;
export const NicModel = z.enum(NIC_MODELS);
export type NicModel = z.infer<typeof NicModel>;

export const VmNetwork = z.discriminatedUnion("kind", [
  // model: virtio when left out.
  z.strictObject({ kind: z.literal("network"), name: AttachedNetworkName, model: NicModel.optional() }),
  z.strictObject({ kind: z.literal("none") }),
]);
export type VmNetwork = z.infer<typeof VmNetwork>;

export const FIRMWARES = ["bios", "uefi"] as const;

export const VmSpec = z.strictObject({
  name: VmName,
  title: VmTitle.default(""),
  description: VmDescription.default(""),
  // Upper bounds here are sanity limits; the agent checks against the host's own.
  vcpus: z.number().int().min(1, "at least 1").max(4096),
  memoryMiB: z
    .number()
    .int()
    .min(64, "at least 64 MiB")
    .max(16 * 1024 * 1024),
  boot: VmBoot,
  disk: VmDisk,
  network: VmNetwork,
  firmware: z.enum(FIRMWARES).default("bios"),
  startNow: z.boolean().default(true),
});
export type VmSpec = z.output<typeof VmSpec>;
export type VmSpecInput = z.input<typeof VmSpec>;

export const VIRT_TYPES = ["kvm", "qemu"] as const;

/** What the host offers a new VM: the wizard shows only these choices and these limits. */
export const VmCreateOptions = z.strictObject({
  cpus: z.number().int().nonnegative(),
  memoryMiB: z.number().int().nonnegative(),
  /** kvm where /dev/kvm works (or the agent's HANGAR_VIRT_TYPE says so), else qemu (TCG). */
  virtType: z.enum(VIRT_TYPES),
  /** UEFI firmware (OVMF) is installed and libvirt offers it. */
  uefi: z.boolean(),
  pools: z
    .array(
      z.strictObject({
        name: z.string().max(256),
        active: z.boolean(),
        available: z.number().nonnegative(),
        volumes: z
          .array(
            z.strictObject({
              name: z.string().max(256),
              capacity: z.number().nonnegative(),
              /** Looks like an installer image (.iso). */
              iso: z.boolean(),
            }),
          )
          .max(16_384),
      }),
    )
    .max(1024),
  networks: z.array(z.strictObject({ name: z.string().max(256), active: z.boolean() })).max(1024),
  /** Kernels and initrds in the agent's allowed kernel directories, for direct kernel boot. */
  kernels: z.array(z.string().max(4096)).max(1024),
  initrds: z.array(z.string().max(4096)).max(1024),
});
export type VmCreateOptions = z.infer<typeof VmCreateOptions>;
