// Handlers for the methods of server/protocol/import-methods.ts.
import type { ImportMethods } from "../../protocol/import-methods";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const importHandlers: HandlerTableOf<MethodsOf<typeof ImportMethods>> = {
  // The link to the server has no progress frame for a call yet: qemu-img's percentage goes
  // to the agent's log (every 10%), the task reports start and end.
  "disk.import": (p, c) => {
    let logged = -10;
    return c.hypervisor.imports.importDisk(p, (pct) => {
      if (pct >= logged + 10 || pct === 100) {
        logged = pct;
        console.log(`[import] ${p.sourcePool}/${p.sourceVolume} → ${p.targetPool}/${p.targetName}: ${pct.toFixed(0)}%`);
      }
    });
  },
  "disk.discard": async (p, c) => {
    await c.hypervisor.imports.discard(p.pool, p.name);
    return {};
  },
};
