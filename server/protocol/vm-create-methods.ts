// Creating, cloning, importing and deleting VMs: methods the server calls on the agent (noun.verb, params and result).
import { z } from "zod";
import { DomainSummary } from "./domain";
import { VmCreateOptions, VmSpec } from "./vm-spec";

export const VmCreateMethods = {
  // Disk volume (if new) → define → start (if startNow); any failure undoes what was made.
  "vm.create": { params: z.strictObject({ spec: VmSpec }), result: z.strictObject({ domain: DomainSummary }) },
  "vm.createOptions": { params: z.strictObject({}), result: VmCreateOptions },
} as const;
