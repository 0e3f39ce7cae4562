// Handlers for the methods of server/protocol/network-methods.ts.
import type { NetworkMethods } from "../../protocol/network-methods";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const networkHandlers: HandlerTableOf<MethodsOf<typeof NetworkMethods>> = {};
