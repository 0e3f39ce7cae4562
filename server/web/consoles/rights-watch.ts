// Open consoles, logs and exec shells follow their users' rights: whenever rights change
// (an assignment, a group, a custom role, a tag, a user's role or status, here or in
// another process: see AccessService), every open stream is checked again against the
// account as it is now, and the ones no longer allowed are closed (4403).
import type { AccessService } from "../auth/access";
import type { ConsoleBroker } from "./broker";

export async function closeRevokedConsoles(access: AccessService, consoles: ConsoleBroker): Promise<number> {
  const ids = consoles.userIds();
  const accounts = await access.liveAccounts(ids);
  const asked = new Set(ids);
  return consoles.closeForbidden((v) => {
    // Opened while the accounts were read: it was checked at its upgrade, after this change.
    if (!asked.has(v.userId)) return true;
    const user = accounts.get(v.userId);
    return !!user && access.can(user, v.permission, v.resource);
  });
}

export function watchConsoleRights(access: AccessService, consoles: ConsoleBroker): () => void {
  return access.onChange(
    () => void closeRevokedConsoles(access, consoles).catch((err: unknown) => console.error("[consoles] rights re-check failed:", err)),
  );
}
