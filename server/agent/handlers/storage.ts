// Handlers for the storage methods (server/protocol/storage-methods.ts).
import type { StorageMethods } from "../../protocol/storage-methods";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const storageHandlers: HandlerTableOf<MethodsOf<typeof StorageMethods>> = {
  "pool.list": async (_p, c) => ({ pools: await c.hypervisor.storage.listPools() }),
  "pool.define": async (p, c) => ({ pool: await c.hypervisor.storage.definePool(p.name, p.path) }),
  "pool.action": async (p, c) => ({ pool: await c.hypervisor.storage.poolAction(p.name, p.action) }),
  "pool.autostart": async (p, c) => ({ pool: await c.hypervisor.storage.setPoolAutostart(p.name, p.enabled) }),
  "pool.undefine": async (p, c) => {
    await c.hypervisor.storage.undefinePool(p.name);
    return {};
  },
  "volume.list": (p, c) => c.hypervisor.storage.listVolumes(p.pool),
  "volume.create": async (p, c) => ({ volume: await c.hypervisor.storage.createVolume(p.pool, p.name, p.format, p.capacity) }),
  "volume.resize": async (p, c) => ({ volume: await c.hypervisor.storage.resizeVolume(p.pool, p.name, p.capacity) }),
  // Bytes copied so far go to the server as the call's progress (the task's task.progress).
  "volume.clone": async (p, c, call) => ({
    volume: await c.hypervisor.storage.cloneVolume(p.pool, p.name, p.newName, (done, total) => call.progress(done, total)),
  }),
  "volume.delete": async (p, c) => {
    await c.hypervisor.storage.deleteVolume(p.pool, p.name, p.force);
    return {};
  },
};
