// Handlers for the methods of server/protocol/vm-edit-methods.ts.
import type { VmEditMethods } from "../../protocol/vm-edit-methods";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const vmEditHandlers: HandlerTableOf<MethodsOf<typeof VmEditMethods>> = {};
