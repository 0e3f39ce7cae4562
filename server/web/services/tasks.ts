// Task verbs beyond listing: cancelling a running task. Only imports can be cancelled today
// (their agent call kills qemu-img and removes what it wrote); they are made with vm.create
// on a host, so cancelling one takes that permission on the task's host.
import type { Services } from "../services";
import type { Caller } from "./caller";

export async function cancelTask(svc: Services, caller: Caller, taskId: string) {
  const task = await svc.tasks.cancel(taskId, caller.user, caller.ip, (hostId) =>
    svc.access.can(caller.user, "vm.create", { type: "host", id: hostId }),
  );
  return { task };
}
