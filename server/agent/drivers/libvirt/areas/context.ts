// What each libvirt area (storage, uploads, networks, VM creation, VM edits) gets from the
// driver: the live connection and a way to push a domain's fresh row after a change.
import type { DomainSummary } from "../../../../protocol";
import type { DomainRef, LibvirtClient } from "../../../libvirt";

export interface LibvirtAreaContext {
  /** The connected client; throws libvirt_unavailable (a DriverError) while disconnected. */
  need(): LibvirtClient;
  /**
   * Re-reads a domain and pushes its row as domain.changed, as a libvirt event would. For
   * changes libvirt announces with no event (autostart, some live edits).
   */
  changed(dom: DomainRef, cause: string): void;
  /** The domain's row read afresh (its cached XML dropped first). */
  summary(uuid: string): Promise<DomainSummary>;
}
