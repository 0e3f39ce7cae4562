// Handlers for the methods of server/protocol/migration.ts.
import type { MigrationMethods } from "../../protocol/migration";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const migrationHandlers: HandlerTableOf<MethodsOf<typeof MigrationMethods>> = {
  // libvirt's job statistics (bytes of total) as the call's progress, logged every 25%.
  "domain.migrate": (p, c, call) => {
    let logged = -25;
    return c.hypervisor.migrations.migrate(
      p.uuid,
      { destinationUri: p.destinationUri, persist: p.persist, undefineSource: p.undefineSource, bandwidthMiBps: p.bandwidthMiBps },
      call.signal,
      (done, total) => {
        call.progress(done, total);
        const pct = total ? (100 * done) / total : 0;
        if (pct >= logged + 25) {
          logged = pct;
          console.log(`[migrate] ${p.uuid} → ${p.destinationUri}: ${pct.toFixed(0)}%`);
        }
      },
    );
  },
};
