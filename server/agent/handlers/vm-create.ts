// Handlers for the methods of server/protocol/vm-create-methods.ts.
import type { VmCreateMethods } from "../../protocol/vm-create-methods";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const vmCreateHandlers: HandlerTableOf<MethodsOf<typeof VmCreateMethods>> = {
  "vm.create": async (p, c) => ({ domain: await c.hypervisor.vmCreate.create(p.spec) }),
  "vm.createOptions": async (_p, c) => c.hypervisor.vmCreate.options(),
};
