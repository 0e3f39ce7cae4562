// The agent's server side of a forwarded volume upload (see upload-hop.ts): the peer that
// took the browser's request authorised it; here only the cluster secret is checked, then
// the upload verb runs as for a local request, for the user the peer names. It never
// forwards again: a host whose agent is not here is refused.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { ApiError } from "../http/errors";
import type { Services } from "../services";
import { uploadVolumeHere } from "../services/volume-upload";
import { answer, fail } from "./internal-http";
import { CALLER_HEADER } from "./upload-hop";

async function caller(svc: Services, header: string | string[] | undefined) {
  let c: { userId?: unknown; ip?: unknown } = {};
  try {
    c = JSON.parse(Buffer.from(String(header ?? ""), "base64url").toString("utf8")) as typeof c;
  } catch {
    /* refused below */
  }
  const user = typeof c.userId === "string" ? await svc.db.user.findUnique({ where: { id: c.userId } }) : null;
  if (!user) throw new ApiError("bad_request", `${CALLER_HEADER}: no such user`, { [CALLER_HEADER]: "unknown user" });
  return { user, ip: typeof c.ip === "string" ? c.ip : "" };
}

/** The peer's forwarded upload (the cluster secret already checked: internal-sockets.ts). */
export async function handleInternalUpload(svc: Services, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    if (req.method !== "POST") throw new ApiError("bad_request", "POST the volume's bytes");
    const url = new URL(req.url ?? "/", "http://internal");
    const q = (k: string) => url.searchParams.get(k) ?? "";
    const hostId = q("hostId");
    if (!svc.hub.isLocal(hostId)) throw new ApiError("unavailable", "The host's agent is not connected to this server");
    const who = await caller(svc, req.headers[CALLER_HEADER]);
    const headers = new Headers();
    if (req.headers["content-length"] !== undefined) headers.set("content-length", String(req.headers["content-length"]));
    const body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    const request = new Request(url, { method: "POST", headers, body, duplex: "half" } as RequestInit);
    const r = await uploadVolumeHere(svc, who, { hostId, pool: q("pool"), name: q("name"), overwrite: q("overwrite") === "1", req: request });
    answer(res, 201, r);
  } catch (err) {
    fail(res, err);
  }
}
