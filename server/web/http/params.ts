// The path parameters of every route, in one place: a route names its params schema and
// its permission's resource from here, so `hostId` (and what a valid one is) is written once.
import { z } from "zod";
import { ContainerId, NetworkName, PoolName, SnapshotName, Uuid, VolumeName } from "../../protocol";
import type { Resource } from "../auth/permissions";

export const HostId = z.string().min(1).max(64);
/** A user or session id (cuid today; bounded so a path cannot carry a novel). */
export const RowId = z.string().min(1).max(64);

export const HostParams = z.strictObject({ hostId: HostId });
export const MachineParams = z.strictObject({ hostId: HostId, uuid: Uuid });
export const SnapshotParams = z.strictObject({ hostId: HostId, uuid: Uuid, snapshot: SnapshotName });
export const ContainerParams = z.strictObject({ hostId: HostId, id: ContainerId });
export const ImageParams = z.strictObject({
  hostId: HostId,
  imageId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,255}$/, "an image id or name"),
});
export const PoolParams = z.strictObject({ hostId: HostId, pool: PoolName });
export const NetworkParams = z.strictObject({ hostId: HostId, network: NetworkName });
export const VolumeParams = z.strictObject({ hostId: HostId, pool: PoolName, volume: VolumeName });
export const IdParams = z.strictObject({ id: RowId });

export const hostResource = (p: { hostId: string }): Resource => ({ type: "host", id: p.hostId });
export const machineResource = (p: { hostId: string; uuid: string }): Resource => ({ type: "vm", id: p.uuid, hostId: p.hostId });
export const containerResource = (p: z.infer<typeof ContainerParams>): Resource => ({ type: "container", id: p.id, hostId: p.hostId });
