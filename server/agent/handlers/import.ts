// Handlers for the methods of server/protocol/import-methods.ts.
import type { ImportMethods } from "../../protocol/import-methods";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const importHandlers: HandlerTableOf<MethodsOf<typeof ImportMethods>> = {
  // qemu-img's percentage goes to the server as the call's progress (done of total 100: the
  // task's task.progress) and to the agent's log every 10%; a cancel kills qemu-img.
  "disk.import": (p, c, call) => {
    let logged = -10;
    return c.hypervisor.imports.importDisk(
      p,
      (pct) => {
        call.progress(pct, 100);
        if (pct >= logged + 10 || pct === 100) {
          logged = pct;
          console.log(`[import] ${p.sourcePool}/${p.sourceVolume} → ${p.targetPool}/${p.targetName}: ${pct.toFixed(0)}%`);
        }
      },
      call.signal,
    );
  },
  "disk.discard": async (p, c) => {
    await c.hypervisor.imports.discard(p.pool, p.name);
    return {};
  },
};
