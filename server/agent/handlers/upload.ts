// Handlers for the methods of server/protocol/upload-methods.ts.
import type { UploadMethods } from "../../protocol/upload-methods";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const uploadHandlers: HandlerTableOf<MethodsOf<typeof UploadMethods>> = {};
