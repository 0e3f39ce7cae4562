// StorageArea over libvirt's RPC: pools (./../pools.ts) and volumes.
import type { StorageArea } from "../../areas/storage-area";
import { definePool, listPools, poolAction } from "../pools";
import type { LibvirtAreaContext } from "./context";

export function libvirtStorage(ctx: LibvirtAreaContext): StorageArea {
  return {
    listPools: () => listPools(ctx.need()),
    definePool: (name, path) => definePool(ctx.need(), name, path),
    poolAction: (name, action) => poolAction(ctx.need(), name, action),
  };
}
