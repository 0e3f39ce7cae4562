// Changing a defined domain without redefining it: vCPUs, memory, devices, disk size.
// Each takes libvirt's impact flags (LIVE = the running guest, CONFIG = the next boot,
// CURRENT = whichever state the domain is in); libvirt refuses what QEMU cannot do live
// (OPERATION_INVALID / OPERATION_UNSUPPORTED), which callers report as "next boot only".
import type { CallOptions, LibvirtClient } from "./client";
import { Proc } from "./procedures";
import { writeDomain, type DomainRef } from "./wire-types";

/** Sets the vCPU count (VcpuFlags.*; MAXIMUM sets the ceiling, CONFIG only). */
export function domainSetVcpusFlags(client: LibvirtClient, dom: DomainRef, nvcpus: number, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(
    Proc.DOMAIN_SET_VCPUS_FLAGS,
    (w) => {
      writeDomain(w, dom);
      w.uint(nvcpus).uint(flags);
    },
    undefined,
    opts,
  );
}

/** The vCPU count for the state `flags` names (VcpuFlags.MAXIMUM: the ceiling). */
export function domainGetVcpusFlags(client: LibvirtClient, dom: DomainRef, flags = 0, opts?: CallOptions): Promise<number> {
  return client.call(
    Proc.DOMAIN_GET_VCPUS_FLAGS,
    (w) => {
      writeDomain(w, dom);
      w.uint(flags);
    },
    (r) => r.int(),
    opts,
  );
}

/**
 * Sets memory in KiB (MemoryFlags.*). Without MAXIMUM this is the balloon target, which
 * a running guest can follow live; MAXIMUM changes the ceiling and needs CONFIG.
 */
export function domainSetMemoryFlags(client: LibvirtClient, dom: DomainRef, kib: bigint, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(
    Proc.DOMAIN_SET_MEMORY_FLAGS,
    (w) => {
      writeDomain(w, dom);
      w.uhyper(kib).uint(flags);
    },
    undefined,
    opts,
  );
}

/** Adds a device from its XML (`<disk>`, `<interface>`…). DeviceModifyFlags.* */
export function domainAttachDeviceFlags(client: LibvirtClient, dom: DomainRef, xml: string, flags = 0, opts?: CallOptions): Promise<void> {
  return deviceCall(client, Proc.DOMAIN_ATTACH_DEVICE_FLAGS, dom, xml, flags, opts);
}

/**
 * Removes the device the XML matches. Live removal only *asks* the guest (ACPI unplug);
 * libvirt returns once QEMU confirms or after a short wait, and a DEVICE_REMOVED event
 * tells when it really went.
 */
export function domainDetachDeviceFlags(client: LibvirtClient, dom: DomainRef, xml: string, flags = 0, opts?: CallOptions): Promise<void> {
  return deviceCall(client, Proc.DOMAIN_DETACH_DEVICE_FLAGS, dom, xml, flags, opts);
}

/** Changes a device in place: CD-ROM media insert/eject, NIC link state, boot order. */
export function domainUpdateDeviceFlags(client: LibvirtClient, dom: DomainRef, xml: string, flags = 0, opts?: CallOptions): Promise<void> {
  return deviceCall(client, Proc.DOMAIN_UPDATE_DEVICE_FLAGS, dom, xml, flags, opts);
}

/**
 * Grows a running domain's disk (`disk` = target "vda" or the source path) to `size`
 * (KiB; bytes with BlockResizeFlags.BYTES). For a stopped domain use storageVolResize.
 */
export function domainBlockResize(client: LibvirtClient, dom: DomainRef, disk: string, size: bigint, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(
    Proc.DOMAIN_BLOCK_RESIZE,
    (w) => {
      writeDomain(w, dom);
      w.string(disk).uhyper(size).uint(flags);
    },
    undefined,
    opts,
  );
}

function deviceCall(client: LibvirtClient, proc: number, dom: DomainRef, xml: string, flags: number, opts?: CallOptions): Promise<void> {
  return client.call(
    proc,
    (w) => {
      writeDomain(w, dom);
      w.string(xml).uint(flags);
    },
    undefined,
    opts,
  );
}
