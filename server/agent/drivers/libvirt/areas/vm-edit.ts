// VmEditArea over libvirt's RPC: the work is in ../vm-edit/ (changes, snapshots, clone,
// XML define); this wires each to a domain looked up by uuid and refreshes its row.
import type { VmEditArea } from "../../areas/vm-edit-area";
import { domainLookupByUuid, type DomainRef, type LibvirtClient } from "../../../libvirt";
import type { LibvirtAreaContext } from "./context";
import { applyChange } from "../vm-edit/changes";
import { editInfo } from "../vm-edit/info";
import { defineXml } from "../vm-edit/xml-define";
import { createSnapshot, deleteSnapshot, listSnapshots, revertSnapshot } from "../vm-edit/snapshots";
import { cloneDomain, deleteDomain } from "../vm-edit/clone";
import { wrap } from "../vm-edit/errors";

export function libvirtVmEdit(ctx: LibvirtAreaContext): VmEditArea {
  /** Runs `fn` on the domain with its current id (running or not), mapping libvirt's refusals. */
  const on = <T>(uuid: string, fn: (c: LibvirtClient, dom: DomainRef) => Promise<T>): Promise<T> =>
    wrap(
      (async () => {
        const c = ctx.need();
        return fn(c, await domainLookupByUuid(c, uuid));
      })(),
    );
  /** The row afresh, also pushed as domain.changed: libvirt sends no event for several of these changes. */
  const fresh = async (dom: DomainRef, cause: string) => {
    const row = await ctx.summary(dom.uuid);
    ctx.changed(dom, cause);
    return row;
  };

  return {
    edit: (uuid, change) =>
      on(uuid, async (c, dom) => {
        const { applied } = await applyChange(c, dom, change);
        return { applied, domain: await fresh(dom, `edit.${change.kind}`) };
      }),
    info: (uuid) => on(uuid, editInfo),
    defineXml: (uuid, xml) =>
      on(uuid, async (c, dom) => {
        await defineXml(c, dom, xml);
        return fresh(dom, "xml.define");
      }),
    listSnapshots: (uuid) => on(uuid, listSnapshots),
    createSnapshot: (uuid, o) => on(uuid, (c, dom) => createSnapshot(c, dom, o)),
    revertSnapshot: (uuid, name) =>
      on(uuid, async (c, dom) => {
        await revertSnapshot(c, dom, name);
        return fresh(dom, "snapshot.revert");
      }),
    deleteSnapshot: (uuid, name) => on(uuid, (c, dom) => deleteSnapshot(c, dom, name)),
    clone: (uuid, name) =>
      on(uuid, async (c, dom) => {
        const { clone, volumes } = await cloneDomain(c, dom, name);
        return { domain: await fresh(clone, "defined"), volumes };
      }),
    remove: (uuid, volumes) => on(uuid, (c, dom) => deleteDomain(c, dom, volumes)),
  };
}
