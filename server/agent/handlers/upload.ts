// Handlers for the methods of server/protocol/upload-methods.ts.
import type { UploadMethods } from "../../protocol/upload-methods";
import { dataConnection } from "../consoles";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const uploadHandlers: HandlerTableOf<MethodsOf<typeof UploadMethods>> = {
  "volume.upload": async (p, c) => ({
    volume: await c.hypervisor.uploads.uploadVolume(
      { pool: p.pool, name: p.name, size: p.size, format: p.format, overwrite: p.overwrite },
      // Dialled only after the checks: a refused upload opens no data connection.
      () => dataConnection(c.serverUrl, c.credential, { channel: p.channel, token: p.token }),
    ),
  }),
};
