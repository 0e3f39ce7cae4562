// Task verbs: the list (running them is TaskService.run, called by each resource's verbs),
// and cancelling a running task. Only imports can be cancelled today (their agent call kills
// qemu-img and removes what it wrote); they are made with vm.create on a host, so cancelling
// one takes that permission on the task's host.
import type { Services } from "../services";
import type { User } from "../db/client";
import type { Caller } from "./caller";
import { taskVisible } from "./visibility";

/** The newest `limit` tasks the caller may see (every one with task.read fleet-wide). */
export function listTasks(svc: Services, user: User, limit: number) {
  if (svc.access.can(user, "task.read")) return svc.tasks.list(limit);
  return svc.tasks.list(limit, (t) => taskVisible(svc, user, t));
}

export async function cancelTask(svc: Services, caller: Caller, taskId: string) {
  const task = await svc.tasks.cancel(taskId, caller.user, caller.ip, (hostId) =>
    svc.access.can(caller.user, "vm.create", { type: "host", id: hostId }),
  );
  return { task };
}
