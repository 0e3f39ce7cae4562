// MigrationArea over libvirt's RPC: the work is in ./migration.ts.
import type { MigrationArea } from "../areas/migration-area";
import { domainLookupByUuid } from "../../libvirt";
import { wrap } from "./vm-edit/errors";
import { hostUuid, migrateDomain } from "./migration";
import type { LibvirtAreaContext } from "./areas/context";

export function libvirtMigration(ctx: LibvirtAreaContext): MigrationArea {
  return {
    migrate: (uuid, o, signal, onProgress) =>
      wrap(
        (async () => {
          const c = ctx.need();
          return migrateDomain(c, await domainLookupByUuid(c, uuid), o, signal, onProgress);
        })(),
      ),
    hostUuid: async () => {
      try {
        return await hostUuid(ctx.need());
      } catch {
        return null;
      }
    },
  };
}
