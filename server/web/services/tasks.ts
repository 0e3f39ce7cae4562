// Task verbs: the list (running them is TaskService.run, called by each resource's verbs).
import type { Services } from "../services";
import type { User } from "../db/client";
import { taskVisible } from "./visibility";

/** The newest `limit` tasks the caller may see (every one with task.read fleet-wide). */
export function listTasks(svc: Services, user: User, limit: number) {
  if (svc.access.can(user, "task.read")) return svc.tasks.list(limit);
  return svc.tasks.list(limit, (t) => taskVisible(svc, user, t));
}
