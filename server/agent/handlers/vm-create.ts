// Handlers for the methods of server/protocol/vm-create-methods.ts.
import type { VmCreateMethods } from "../../protocol/vm-create-methods";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const vmCreateHandlers: HandlerTableOf<MethodsOf<typeof VmCreateMethods>> = {};
