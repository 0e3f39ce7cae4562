import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { cancelTask } from "@/server/web/services/tasks";

// Asks a running cancellable task (an import) to stop: 202 at once; the task ends "failed"
// ("Cancelled by …") once the agent has stopped and cleaned up. 409 when it already ended or
// cannot be cancelled. The permission is checked on the task's host by the service.
export const POST = route({ permission: "vm.create", params: IdParams, scope: "filtered" }, async ({ svc, params, user, ip }) =>
  json(await cancelTask(svc, { user, ip }, params.id), { status: 202 }),
);
