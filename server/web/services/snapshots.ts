// Machine snapshots: the tree is read from the agent; create, revert and delete run as
// tasks on the machine (one at a time per machine, like every other change to it).
import type { Services } from "../services";
import type { Caller } from "./caller";
import { editable, SNAPSHOT_TIMEOUT_MS, vmTask, type Ref } from "./vm-edit";

export async function listSnapshots(svc: Services, ref: Ref) {
  editable(svc, ref);
  return svc.hub.call(ref.hostId, "vm.snapshot.list", { uuid: ref.uuid }, 15_000);
}

export function createSnapshot(
  svc: Services,
  caller: Caller,
  ref: Ref,
  o: { name: string; description: string; memory: boolean; idempotencyKey: string | null },
) {
  const params = { uuid: ref.uuid, name: o.name, description: o.description, memory: o.memory };
  return vmTask(svc, caller, ref, {
    kind: "vm.snapshot.create",
    method: "vm.snapshot.create",
    params,
    input: { name: o.name, memory: o.memory },
    idempotencyKey: o.idempotencyKey,
    timeoutMs: SNAPSHOT_TIMEOUT_MS,
  });
}

export function revertSnapshot(svc: Services, caller: Caller, ref: Ref, name: string, idempotencyKey: string | null) {
  return vmTask(svc, caller, ref, {
    kind: "vm.snapshot.revert",
    method: "vm.snapshot.revert",
    params: { uuid: ref.uuid, name },
    input: { name },
    idempotencyKey,
    timeoutMs: SNAPSHOT_TIMEOUT_MS,
  });
}

export function deleteSnapshot(svc: Services, caller: Caller, ref: Ref, name: string, idempotencyKey: string | null) {
  return vmTask(svc, caller, ref, {
    kind: "vm.snapshot.delete",
    method: "vm.snapshot.delete",
    params: { uuid: ref.uuid, name },
    input: { name },
    idempotencyKey,
    timeoutMs: SNAPSHOT_TIMEOUT_MS,
  });
}
