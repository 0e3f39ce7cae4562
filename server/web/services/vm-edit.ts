// Changing an existing machine: one verb per route. Every change runs as a Task on the
// machine (targetType "vm", targetId its uuid: one change per machine at a time, audited,
// idempotent); reads go straight to its agent. A refusal about one field of the request
// comes back from the agent as "field: reason" and is answered as a 4xx naming it.
import type { VmChange } from "../../protocol";
import type { MethodName, MethodParams } from "../../protocol";
import type { Services } from "../services";
import { refusalField } from "../http/agent-errors";
import { ApiError } from "../http/errors";
import type { Caller } from "./caller";

export type Ref = { hostId: string; uuid: string };

/** Long enough for a memory checkpoint of a big guest or a copy of a big disk. */
const SNAPSHOT_TIMEOUT_MS = 10 * 60_000;
const CLONE_TIMEOUT_MS = 60 * 60_000;

/**
 * The machine, for an edit of its libvirt definition (settings, disks, NICs, XML, clone,
 * delete, snapshots). A KubeVirt machine is defined in its cluster: refused here, before
 * any agent call, rather than failing in the agent's libvirt driver with "no such domain".
 */
export function editable(svc: Services, ref: Ref) {
  const d = svc.hub.domain(ref.hostId, ref.uuid);
  if (!d) throw new ApiError("not_found", `No machine ${ref.uuid} on host ${ref.hostId}`, { uuid: "unknown machine" });
  if (d.engine === "kubevirt")
    throw new ApiError("conflict", `${d.name} runs in KubeVirt: change its definition in the cluster (kubectl, GitOps)`, {
      uuid: "a KubeVirt machine: not editable here",
    });
  return d;
}

export interface VmTask<M extends MethodName> {
  kind: string;
  method: M;
  params: MethodParams<M>;
  input: unknown;
  idempotencyKey: string | null;
  timeoutMs?: number;
  describe?: (result: unknown) => unknown;
  /** The task's target when it is not the machine's own uuid (never today). */
  targetName?: string;
}

/** Runs one agent call as a task on the machine. */
export async function vmTask<M extends MethodName>(svc: Services, caller: Caller, ref: Ref, t: VmTask<M>) {
  // A retry answers with its task even when the machine has gone since (delete).
  const replay = await svc.tasks.replay(caller.user, t.idempotencyKey);
  if (replay) return { ...replay, result: undefined };
  const d = editable(svc, ref);
  try {
    return await svc.tasks.run({
      user: caller.user,
      ip: caller.ip,
      hostId: ref.hostId,
      kind: t.kind,
      targetType: "vm",
      targetId: ref.uuid,
      targetName: t.targetName ?? d.name,
      idempotencyKey: t.idempotencyKey,
      input: t.input,
      timeoutMs: t.timeoutMs,
      describe: t.describe,
      call: (timeoutMs) => svc.hub.call(ref.hostId, t.method, t.params, timeoutMs),
    });
  } catch (err) {
    // "mib: at most 192 MiB…" → fields { mib: "at most 192 MiB…" }.
    throw refusalField(err);
  }
}

/** Ceilings, description, boot order, NIC links and volumes the edit forms need. */
export async function machineEditInfo(svc: Services, ref: Ref) {
  editable(svc, ref);
  return svc.hub.call(ref.hostId, "vm.info", { uuid: ref.uuid }, 15_000);
}

export function editMachine(svc: Services, caller: Caller, ref: Ref, change: VmChange, idempotencyKey: string | null) {
  return vmTask(svc, caller, ref, {
    kind: `vm.edit.${change.kind}`,
    method: "vm.edit",
    params: { uuid: ref.uuid, change },
    input: change,
    idempotencyKey,
    timeoutMs: change.kind === "disk.add" ? SNAPSHOT_TIMEOUT_MS : undefined,
    describe: (r) => ({ applied: (r as { applied: string }).applied }),
  });
}

export function defineMachineXml(svc: Services, caller: Caller, ref: Ref, xml: string, idempotencyKey: string | null) {
  // The XML itself is not kept in the task: it can be large and may hold a VNC password.
  return vmTask(svc, caller, ref, {
    kind: "vm.xml.define",
    method: "vm.xml.define",
    params: { uuid: ref.uuid, xml },
    input: { bytes: xml.length },
    idempotencyKey,
  });
}

/** Clones a stopped machine (409 when running): the task runs on the source machine. */
export function cloneMachine(svc: Services, caller: Caller, ref: Ref, name: string, idempotencyKey: string | null) {
  return vmTask(svc, caller, ref, {
    kind: "vm.clone",
    method: "vm.clone",
    params: { uuid: ref.uuid, name },
    input: { name },
    idempotencyKey,
    timeoutMs: CLONE_TIMEOUT_MS,
    describe: (r) => {
      const x = r as { domain: { uuid: string; name: string }; volumes: string[] };
      return { uuid: x.domain.uuid, name: x.domain.name, volumes: x.volumes };
    },
  });
}

/** Deletes a stopped machine and exactly the chosen volumes of its disks. */
export function deleteMachine(svc: Services, caller: Caller, ref: Ref, volumes: string[], idempotencyKey: string | null) {
  return vmTask(svc, caller, ref, {
    kind: "vm.delete",
    method: "vm.delete",
    params: { uuid: ref.uuid, volumes },
    input: { volumes },
    idempotencyKey,
  });
}

export { SNAPSHOT_TIMEOUT_MS };
