// StorageArea over libvirt's RPC: pools (../pools.ts) and volumes (../volumes.ts).
import type { StorageArea } from "../../areas/storage-area";
import { definePool, listPools, poolAction, setPoolAutostart, undefinePool } from "../pools";
import { cloneVolume, createVolume, deleteVolume, listVolumes, resizeVolume } from "../volumes";
import type { LibvirtAreaContext } from "./context";

export function libvirtStorage(ctx: LibvirtAreaContext): StorageArea {
  return {
    listPools: () => listPools(ctx.need()),
    definePool: (name, path) => definePool(ctx.need(), name, path),
    poolAction: (name, action) => poolAction(ctx.need(), name, action),
    setPoolAutostart: (name, enabled) => setPoolAutostart(ctx.need(), name, enabled),
    undefinePool: (name) => undefinePool(ctx.need(), name),
    listVolumes: (pool) => listVolumes(ctx.need(), pool),
    createVolume: (pool, name, format, capacity) => createVolume(ctx.need(), pool, name, format, capacity),
    resizeVolume: (pool, name, capacity) => resizeVolume(ctx.need(), pool, name, capacity),
    cloneVolume: (pool, name, newName, onProgress) => cloneVolume(ctx.need(), pool, name, newName, onProgress),
    deleteVolume: (pool, name, force) => deleteVolume(ctx.need(), pool, name, force),
  };
}
