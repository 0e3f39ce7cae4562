// Creating a VM from a typed spec (disk volume, domain XML, first start): what its handlers need from a driver.
import type { DomainSummary, VmCreateOptions, VmSpec } from "../../../protocol";

export interface VmCreateArea {
  /** What the host offers a new VM (limits, virt type, UEFI, pools, ISOs, networks, kernels). */
  options(): Promise<VmCreateOptions>;
  /**
   * Creates the disk (if new), defines the domain, starts it (if asked); a failure at any
   * step removes what the earlier steps made. Refusals name the spec field first ("memoryMiB: …").
   */
  create(spec: VmSpec): Promise<DomainSummary>;
}
