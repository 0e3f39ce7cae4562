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
          const dom = await domainLookupByUuid(c, uuid);
          const r = await migrateDomain(c, dom, o, signal, onProgress);
          // libvirt's "stopped (migrated)" event can be read while the source definition still
          // exists, and no later event is promised for its removal: re-read the domain once
          // libvirt has finished, so the row goes (or shows shut off, when the source keeps it).
          ctx.changed(dom, "migrated");
          return r;
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
