// Handlers for the methods of server/protocol/vm-edit-methods.ts.
import type { VmEditMethods } from "../../protocol/vm-edit-methods";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const vmEditHandlers: HandlerTableOf<MethodsOf<typeof VmEditMethods>> = {
  "vm.edit": (p, c) => c.hypervisor.vmEdit.edit(p.uuid, p.change),
  "vm.info": (p, c) => c.hypervisor.vmEdit.info(p.uuid),
  "vm.xml.define": async (p, c) => ({ domain: await c.hypervisor.vmEdit.defineXml(p.uuid, p.xml) }),
  "vm.snapshot.list": async (p, c) => ({ snapshots: await c.hypervisor.vmEdit.listSnapshots(p.uuid) }),
  "vm.snapshot.create": async (p, c) => ({ snapshot: await c.hypervisor.vmEdit.createSnapshot(p.uuid, p) }),
  "vm.snapshot.revert": async (p, c) => ({ domain: await c.hypervisor.vmEdit.revertSnapshot(p.uuid, p.name) }),
  "vm.snapshot.delete": async (p, c) => {
    await c.hypervisor.vmEdit.deleteSnapshot(p.uuid, p.name);
    return {};
  },
  "vm.clone": (p, c) => c.hypervisor.vmEdit.clone(p.uuid, p.name),
  "vm.delete": async (p, c) => ({ deleted: await c.hypervisor.vmEdit.remove(p.uuid, p.volumes) }),
};
