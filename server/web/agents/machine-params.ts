import { z } from "zod";
import { Uuid } from "../../protocol";

export const MachineParams = z.strictObject({ hostId: z.string().min(1).max(64), uuid: Uuid });
export const machineResource = (p: z.infer<typeof MachineParams>) => ({ type: "vm" as const, id: p.uuid, hostId: p.hostId });
