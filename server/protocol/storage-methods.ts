// Storage methods the server calls on the agent (libvirt pools and volumes): noun.verb, params and result.
import { z } from "zod";
import { PoolAction, PoolName, PoolPath, PoolSummary } from "./pool";
import { CreateFormat, VolumeCapacity, VolumeName, VolumeSummary } from "./volume";

// Volumes live in pools Hangar may not have defined (e.g. "default"), so a pool is
// addressed by any libvirt name, bounded; PoolName is for pools Hangar creates.
const Pool = z.string().min(1).max(256);
const VolumeResult = z.strictObject({ volume: VolumeSummary });

export const StorageMethods = {
  "pool.list": { params: z.strictObject({}), result: z.strictObject({ pools: z.array(PoolSummary).max(16_384) }) },
  // A persistent, inactive directory pool; pool.action "start" creates the directory if missing.
  "pool.define": { params: z.strictObject({ name: PoolName, path: PoolPath }), result: z.strictObject({ pool: PoolSummary }) },
  "pool.action": { params: z.strictObject({ name: Pool, action: PoolAction }), result: z.strictObject({ pool: PoolSummary }) },
  "pool.autostart": { params: z.strictObject({ name: Pool, enabled: z.boolean() }), result: z.strictObject({ pool: PoolSummary }) },
  // Forgets the pool (files stay on disk); refused while it holds volumes; an active pool is stopped first.
  "pool.undefine": { params: z.strictObject({ name: Pool }), result: z.strictObject({}) },

  "volume.list": {
    params: z.strictObject({ pool: Pool }),
    result: z.strictObject({ pool: PoolSummary, volumes: z.array(VolumeSummary).max(16_384) }),
  },
  "volume.create": {
    params: z.strictObject({ pool: Pool, name: VolumeName, format: CreateFormat, capacity: VolumeCapacity }),
    result: VolumeResult,
  },
  // Grow only: a smaller capacity is refused (shrinking loses the guest's data).
  "volume.resize": { params: z.strictObject({ pool: Pool, name: VolumeName, capacity: VolumeCapacity }), result: VolumeResult },
  "volume.clone": { params: z.strictObject({ pool: Pool, name: VolumeName, newName: VolumeName }), result: VolumeResult },
  // Refused while a domain references the volume, unless force.
  "volume.delete": { params: z.strictObject({ pool: Pool, name: VolumeName, force: z.boolean() }), result: z.strictObject({}) },
} as const;
