// Creating VMs: the wizard's options (read straight from the host's agent) and the create
// itself as a task. The agent checks the spec against the host and names the field it
// refuses ("memoryMiB: …"); that name becomes the 4xx's `fields`, for the form to show inline.
import type { DomainSummary, VmSpec } from "../../protocol";
import type { Services } from "../services";
import { refusalField } from "../http/agent-errors";
import { ApiError } from "../http/errors";
import type { Caller } from "./caller";
import { getHost } from "./hosts";

/** What the host offers a new VM; an unknown host is a 404 naming hostId, an offline one a 503. */
export async function vmCreateOptions(svc: Services, hostId: string) {
  await getHost(svc, hostId);
  return svc.hub.call(hostId, "vm.createOptions", {}, 30_000);
}

// The spec fields an agent's refusal may name (anything else stays a plain message).
const SPEC_FIELDS = new Set([
  "name",
  "vcpus",
  "memoryMiB",
  "firmware",
  "disk",
  "disk.pool",
  "disk.volume",
  "disk.sizeBytes",
  "boot.pool",
  "boot.volume",
  "boot.kernel",
  "boot.initrd",
  "network.name",
  "startNow",
]);

export const isSpecField = (f: string): boolean => SPEC_FIELDS.has(f);

/**
 * Creates (and by default starts) a VM as a task "vm.create" aimed at the machine's name
 * (there is no uuid before libvirt defines it); on success the task's target becomes the uuid. 201 with the
 * machine when the agent answers within 60 s, else 202 and completion by event.
 */
export async function createVm(svc: Services, caller: Caller, o: { hostId: string; spec: VmSpec; idempotencyKey: string | null }) {
  const { hostId, spec } = o;
  await getHost(svc, hostId);
  try {
    const r = await svc.tasks.run({
      user: caller.user,
      ip: caller.ip,
      hostId,
      kind: "vm.create",
      targetType: "vm",
      targetId: spec.name,
      targetName: spec.name,
      idempotencyKey: o.idempotencyKey,
      input: spec,
      // A disk in a slow pool, a first QEMU start after libvirtd restarts: minutes at worst.
      timeoutMs: 300_000,
      call: async (timeoutMs) => {
        const made = await svc.hub.call(hostId, "vm.create", { spec }, timeoutMs);
        svc.hub.noteDomain(hostId, made.domain);
        return made;
      },
      describe: (res) => ({ uuid: (res as { domain: DomainSummary }).domain.uuid }),
      // From now on the task names the machine as every other VM task does: by uuid.
      retarget: (res) => (res as { domain: DomainSummary }).domain.uuid,
      inlineWaitMs: 60_000,
    });
    // A failure the task service did not turn into an HTTP error (libvirt's own) is still no success.
    if (r.done && r.task.status === "failed") throw new ApiError("internal", r.task.error ?? "creating the machine failed", { task: r.task.id });
    const domain = (r.result as { domain?: DomainSummary } | undefined)?.domain ?? null;
    // A replayed request (same Idempotency-Key) has no result of its own: its task, retargeted, names the uuid.
    const uuid = domain?.uuid ?? (r.done && r.task.status === "succeeded" ? r.task.targetId : null);
    return { task: r.task, done: r.done, replay: r.replay, machine: uuid ? svc.hub.machine(hostId, uuid) : null };
  } catch (err) {
    // The task service answers an inline refusal with its message; put the field back on it.
    // "memoryMiB: the host has …" → fields { memoryMiB: "the host has …" }.
    throw refusalField(err, { accept: isSpecField });
  }
}
