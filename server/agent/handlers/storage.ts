// Handlers for the storage methods (server/protocol/storage-methods.ts).
import type { StorageMethods } from "../../protocol/storage-methods";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const storageHandlers: HandlerTableOf<MethodsOf<typeof StorageMethods>> = {
  "pool.list": async (_p, c) => ({ pools: await c.hypervisor.storage.listPools() }),
  "pool.define": async (p, c) => ({ pool: await c.hypervisor.storage.definePool(p.name, p.path) }),
  "pool.action": async (p, c) => ({ pool: await c.hypervisor.storage.poolAction(p.name, p.action) }),
};
