// The permission matrix (issue 14 acceptance): every REST route, written down once with the
// permission it needs and what that permission is checked on. tests/integration/
// permission-matrix.test.ts checks that this table and the routes' specs agree (a route
// without a row fails), then runs every row against the real server for each built-in role
// on each kind of scope and compares the answer with what the row says.
import type { Permission } from "../../server/protocol/roles";

/**
 * What the permission is checked on:
 * - public: no sign-in (setup, sign-in, the agent's own calls);
 * - own: any signed-in account, on its own things (sessions, tokens, second factor);
 * - global: must be held fleet-wide;
 * - filtered: a list; held on any scope is enough, rows are cut to the scope;
 * - host / vm / container: the object named by the path's hostId, uuid or container id.
 */
export type Target = "public" | "own" | "global" | "filtered" | "host" | "vm" | "container";
export interface Row {
  permission?: Permission;
  target: Target;
}
const PUBLIC: Row = { target: "public" };

export const ROUTES: Record<string, Row> = {
  // Alerts (issue 16): managing rules, channels and silences is fleet-wide; lists are cut to
  // the alerts and rules of what the caller may read.
  "GET /api/alerts": { permission: "alert.read", target: "filtered" },
  "GET /api/alerts/rules": { permission: "alert.read", target: "filtered" },
  "POST /api/alerts/rules": { permission: "alert.manage", target: "global" },
  "PATCH /api/alerts/rules/[id]": { permission: "alert.manage", target: "global" },
  "DELETE /api/alerts/rules/[id]": { permission: "alert.manage", target: "global" },
  "GET /api/alerts/channels": { permission: "alert.manage", target: "global" },
  "POST /api/alerts/channels": { permission: "alert.manage", target: "global" },
  "PATCH /api/alerts/channels/[id]": { permission: "alert.manage", target: "global" },
  "DELETE /api/alerts/channels/[id]": { permission: "alert.manage", target: "global" },
  "POST /api/alerts/channels/[id]/test": { permission: "alert.manage", target: "global" },
  "GET /api/alerts/silences": { permission: "alert.manage", target: "global" },
  "POST /api/alerts/silences": { permission: "alert.manage", target: "global" },
  "DELETE /api/alerts/silences/[id]": { permission: "alert.manage", target: "global" },
  "GET /api/alerts/deliveries": { permission: "alert.manage", target: "global" },
  // Scoped access management (issue 14): fleet-wide user.manage.
  "GET /api/assignments": { permission: "user.manage", target: "global" },
  "POST /api/assignments": { permission: "user.manage", target: "global" },
  "DELETE /api/assignments/[id]": { permission: "user.manage", target: "global" },
  "GET /api/groups": { permission: "user.manage", target: "global" },
  "POST /api/groups": { permission: "user.manage", target: "global" },
  "PATCH /api/groups/[id]": { permission: "user.manage", target: "global" },
  "DELETE /api/groups/[id]": { permission: "user.manage", target: "global" },
  "POST /api/groups/[id]/members": { permission: "user.manage", target: "global" },
  "DELETE /api/groups/[id]/members/[userId]": { permission: "user.manage", target: "global" },
  "GET /api/roles": { permission: "user.manage", target: "global" },
  "POST /api/roles": { permission: "user.manage", target: "global" },
  "PATCH /api/roles/[id]": { permission: "user.manage", target: "global" },
  "DELETE /api/roles/[id]": { permission: "user.manage", target: "global" },
  // Tags are edited with the right to change the VM or container they are on.
  "PUT /api/machines/[hostId]/[uuid]/tags": { permission: "vm.edit", target: "vm" },
  "PUT /api/containers/[hostId]/[id]/tags": { permission: "container.manage", target: "container" },
  // Any account: the answers hold only what the caller may see.
  "GET /api/tags": { permission: "session.manage", target: "own" },
  "GET /api/search": { permission: "session.manage", target: "own" },
  "GET /api/agent/download": PUBLIC,
  "POST /api/agent/enroll": PUBLIC,
  "GET /api/audit/export": { permission: "audit.read", target: "global" },
  "GET /api/audit": { permission: "audit.read", target: "global" },
  "POST /api/auth/login": PUBLIC,
  "POST /api/auth/login/totp": PUBLIC,
  "GET /api/auth/oidc/start": PUBLIC,
  "GET /api/auth/oidc/callback": PUBLIC,
  "POST /api/auth/logout": { permission: "session.manage", target: "own" },
  "GET /api/auth/me": { permission: "session.manage", target: "own" },
  "PATCH /api/auth/me": { permission: "session.manage", target: "own" },
  "POST /api/auth/totp/confirm": { permission: "session.manage", target: "own" },
  "POST /api/auth/totp/disable": { permission: "session.manage", target: "own" },
  "GET /api/auth/totp/policy": { permission: "user.manage", target: "global" },
  "PUT /api/auth/totp/policy": { permission: "user.manage", target: "global" },
  "GET /api/auth/totp": { permission: "session.manage", target: "own" },
  "POST /api/auth/totp": { permission: "session.manage", target: "own" },
  "POST /api/containers/[hostId]/[id]/actions": { permission: "container.manage", target: "container" },
  "POST /api/containers/[hostId]/[id]/console": { permission: "container.read", target: "container" },
  "GET /api/containers/[hostId]/[id]/logs": { permission: "container.read", target: "container" },
  "GET /api/containers/[hostId]/[id]": { permission: "container.read", target: "container" },
  "PATCH /api/containers/[hostId]/[id]": { permission: "container.manage", target: "container" },
  "DELETE /api/containers/[hostId]/[id]": { permission: "container.manage", target: "container" },
  "POST /api/containers/[hostId]": { permission: "container.manage", target: "host" },
  "GET /api/containers": { permission: "container.read", target: "filtered" },
  "GET /api/dashboard": { permission: "host.read", target: "filtered" },
  "GET /api/hosts/[hostId]/agent-stats": { permission: "host.read", target: "host" },
  "POST /api/hosts/[hostId]/enrollment": { permission: "host.manage", target: "host" },
  "DELETE /api/hosts/[hostId]/images/[imageId]": { permission: "container.manage", target: "host" },
  "POST /api/hosts/[hostId]/images/pull": { permission: "container.manage", target: "host" },
  "GET /api/hosts/[hostId]/images": { permission: "container.read", target: "host" },
  "POST /api/hosts/[hostId]/images": { permission: "container.manage", target: "host" },
  "POST /api/hosts/[hostId]/networks/[network]/actions": { permission: "network.manage", target: "host" },
  "GET /api/hosts/[hostId]/networks/[network]/leases": { permission: "vm.read", target: "host" },
  "DELETE /api/hosts/[hostId]/networks/[network]": { permission: "network.manage", target: "host" },
  "GET /api/hosts/[hostId]/networks": { permission: "vm.read", target: "host" },
  "POST /api/hosts/[hostId]/networks": { permission: "network.manage", target: "host" },
  "POST /api/hosts/[hostId]/pools/[pool]/actions": { permission: "storage.manage", target: "host" },
  "DELETE /api/hosts/[hostId]/pools/[pool]": { permission: "storage.manage", target: "host" },
  "POST /api/hosts/[hostId]/pools/[pool]/upload": { permission: "storage.manage", target: "host" },
  "POST /api/hosts/[hostId]/pools/[pool]/volumes/[volume]/actions": { permission: "storage.manage", target: "host" },
  "DELETE /api/hosts/[hostId]/pools/[pool]/volumes/[volume]": { permission: "storage.manage", target: "host" },
  "GET /api/hosts/[hostId]/pools/[pool]/volumes": { permission: "vm.read", target: "host" },
  "POST /api/hosts/[hostId]/pools/[pool]/volumes": { permission: "storage.manage", target: "host" },
  "GET /api/hosts/[hostId]/pools": { permission: "vm.read", target: "host" },
  "POST /api/hosts/[hostId]/pools": { permission: "storage.manage", target: "host" },
  "GET /api/hosts/[hostId]": { permission: "host.read", target: "host" },
  "DELETE /api/hosts/[hostId]": { permission: "host.manage", target: "host" },
  "GET /api/hosts": { permission: "host.read", target: "filtered" },
  "POST /api/hosts": { permission: "host.manage", target: "global" },
  "DELETE /api/invitations/[id]": { permission: "user.manage", target: "global" },
  "POST /api/invitations/accept": PUBLIC,
  "GET /api/invitations": { permission: "user.manage", target: "global" },
  "POST /api/invitations": { permission: "user.manage", target: "global" },
  "POST /api/machines/[hostId]/[uuid]/actions": { permission: "vm.power", target: "vm" },
  "POST /api/machines/[hostId]/[uuid]/clone": { permission: "vm.create", target: "vm" },
  // Live migration (issue 15): vm.migrate on the VM here, and on the target host in the service.
  "POST /api/machines/[hostId]/[uuid]/migrate": { permission: "vm.migrate", target: "vm" },
  "POST /api/machines/[hostId]/[uuid]/console": { permission: "vm.console", target: "vm" },
  "GET /api/machines/[hostId]/[uuid]/edit": { permission: "vm.read", target: "vm" },
  "POST /api/machines/[hostId]/[uuid]/edit": { permission: "vm.edit", target: "vm" },
  "GET /api/machines/[hostId]/[uuid]": { permission: "vm.read", target: "vm" },
  "DELETE /api/machines/[hostId]/[uuid]": { permission: "vm.manage", target: "vm" },
  "POST /api/machines/[hostId]/[uuid]/snapshots/[snapshot]/revert": { permission: "vm.edit", target: "vm" },
  "DELETE /api/machines/[hostId]/[uuid]/snapshots/[snapshot]": { permission: "vm.edit", target: "vm" },
  "GET /api/machines/[hostId]/[uuid]/snapshots": { permission: "vm.read", target: "vm" },
  "POST /api/machines/[hostId]/[uuid]/snapshots": { permission: "vm.edit", target: "vm" },
  "PUT /api/machines/[hostId]/[uuid]/xml": { permission: "vm.edit", target: "vm" },
  "GET /api/machines/[hostId]/create-options": { permission: "vm.create", target: "host" },
  "POST /api/machines/[hostId]/import": { permission: "vm.create", target: "host" },
  "GET /api/machines/[hostId]/import": { permission: "vm.read", target: "host" },
  "POST /api/machines/[hostId]": { permission: "vm.create", target: "host" },
  "GET /api/machines": { permission: "vm.read", target: "filtered" },
  "GET /api/metrics/history": { permission: "host.read", target: "filtered" },
  "GET /api/metrics/status": { permission: "audit.read", target: "global" },
  "POST /api/password-reset": PUBLIC,
  "DELETE /api/sessions/[id]": { permission: "session.manage", target: "own" },
  "GET /api/sessions": { permission: "session.manage", target: "own" },
  "GET /api/settings/audit-retention": { permission: "audit.read", target: "global" },
  "PUT /api/settings/audit-retention": { permission: "audit.manage", target: "global" },
  "GET /api/setup": PUBLIC,
  "POST /api/setup": PUBLIC,
  "GET /api/tasks": { permission: "task.read", target: "filtered" },
  // Backup jobs target VMs, hosts and tags and write to host directories: fleet-wide only.
  "GET /api/backup-jobs": { permission: "backup.read", target: "global" },
  "POST /api/backup-jobs": { permission: "backup.manage", target: "global" },
  "GET /api/backup-jobs/preview": { permission: "backup.read", target: "global" },
  "PATCH /api/backup-jobs/[id]": { permission: "backup.manage", target: "global" },
  "DELETE /api/backup-jobs/[id]": { permission: "backup.manage", target: "global" },
  "POST /api/backup-jobs/[id]/run": { permission: "backup.run", target: "global" },
  "POST /api/backup-jobs/[id]/pause": { permission: "backup.run", target: "global" },
  "GET /api/backup-jobs/[id]/runs": { permission: "backup.read", target: "global" },
  "POST /api/backup-runs/[id]/restore": { permission: "backup.manage", target: "global" },
  // Checked again on the task's host by the service.
  "POST /api/tasks/[id]/cancel": { permission: "vm.create", target: "filtered" },
  "DELETE /api/tokens/[id]": { permission: "session.manage", target: "own" },
  "GET /api/tokens": { permission: "session.manage", target: "own" },
  "POST /api/tokens": { permission: "session.manage", target: "own" },
  "POST /api/users/[id]/reset-link": { permission: "user.manage", target: "global" },
  "PATCH /api/users/[id]": { permission: "user.manage", target: "global" },
  "DELETE /api/users/[id]": { permission: "user.manage", target: "global" },
  "PUT /api/users/[id]/status": { permission: "user.manage", target: "global" },
  "DELETE /api/users/[id]/totp": { permission: "user.manage", target: "global" },
  "GET /api/users": { permission: "user.manage", target: "global" },
  "POST /api/users": { permission: "user.manage", target: "global" },
};

/**
 * Socket kinds, run like the routes: opening the event socket, and subscribing on it to the
 * live metrics of a host, a VM or a container (refused by name: forbidden_series). Consoles,
 * logs and exec start with a ticket from their REST route above, and their sockets check the
 * same grants again (tests/integration/scope-sockets.test.ts: a ticket taken before a right
 * was removed is refused at the upgrade).
 */
export const SOCKETS: Record<string, Row> = {
  "WS /ws/events": { permission: "session.manage", target: "own" },
  "WS metrics.subscribe host/<hostId>": { permission: "host.read", target: "host" },
  "WS metrics.subscribe vm/<hostId>/<uuid>": { permission: "vm.read", target: "vm" },
  "WS metrics.subscribe ct/<hostId>/<id>": { permission: "container.read", target: "container" },
};
