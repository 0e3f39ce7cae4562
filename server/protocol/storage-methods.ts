// Storage methods the server calls on the agent (libvirt pools and volumes): noun.verb, params and result.
import { z } from "zod";
import { PoolAction, PoolName, PoolPath, PoolSummary } from "./pool";

export const StorageMethods = {
  "pool.list": { params: z.strictObject({}), result: z.strictObject({ pools: z.array(PoolSummary).max(16_384) }) },
  // A persistent, inactive directory pool; pool.action "start" creates the directory if missing.
  "pool.define": { params: z.strictObject({ name: PoolName, path: PoolPath }), result: z.strictObject({ pool: PoolSummary }) },
  "pool.action": { params: z.strictObject({ name: PoolName, action: PoolAction }), result: z.strictObject({ pool: PoolSummary }) },
} as const;
