// The agent's server side of the stream hop (decision 0005, consoles): what a peer server
// whose browser asked for a console, logs, a shell or an upload of a host whose agent is
// connected here sends to this server's internal routes.
// - /internal/stream: a raw upgrade (`Upgrade: hangar-relay`). The agent is asked to dial
//   in as for a local browser, and its connection is spliced to the peer's in the console
//   relay process (console-relay/splice.ts).
// - /internal/stream/resize: an exec shell's new size, for a stream spliced here.
// - /internal/uploads/volume: a volume upload's body (internal-uploads.ts).
// Only the cluster secret is checked, before anything else is read: the peer redeemed the
// ticket and checked the right, and it closes its side when that right goes. This server
// never forwards again: a host whose agent is not here is refused.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { ApiError, errorBody } from "../http/errors";
import type { Services } from "../services";
import { refuse, type WsRoute } from "../ws/upgrade";
import { CLUSTER_HEADER, isClusterRequest } from "./internal-auth";
import { answer, fail, smallJson } from "./internal-http";
import { handleInternalUpload } from "./internal-uploads";
import { decodeStreamRequest, INTERNAL_RESIZE_PATH, STREAM_REQUEST_HEADER, type PeerStreamRequest } from "./stream-request";
import { INTERNAL_VOLUME_UPLOAD_PATH } from "./upload-hop";

export class InternalStreams {
  /** Exec and log streams spliced here for peers: channel → host (resizes name the channel). */
  private readonly spliced = new Map<string, string>();

  constructor(private readonly svc: Services) {}

  private secretOk(req: IncomingMessage): boolean {
    return isClusterRequest(this.svc.config.clusterSecret, req.headers[CLUSTER_HEADER]);
  }

  /** The upgrade route for /internal/stream. */
  route(): WsRoute<PeerStreamRequest> {
    const svc = this.svc;
    return {
      authenticate: (req) => {
        // Before anything else is read: no secret, no stream (and nothing reaches an agent).
        if (!this.secretOk(req))
          return Promise.resolve({
            status: 401,
            message: "Internal route: cluster secret required",
            audit: { actor: "peer", reason: "cluster-secret" },
          });
        const r = decodeStreamRequest(req.headers[STREAM_REQUEST_HEADER]);
        if ("refused" in r) return Promise.resolve({ status: 400, message: r.refused });
        if (!svc.hub.isLocal(r.hostId)) return Promise.resolve({ status: 503, message: "The host's agent is not connected to this server" });
        if (!svc.consoles.available) return Promise.resolve({ status: 503, message: "The console relay is restarting: try again in a moment" });
        return Promise.resolve(r);
      },
      raw: (socket, head, _req, r) => this.relay(socket, head, r),
    };
  }

  /** The peer waits for the answer to its upgrade while the agent is asked to dial in. */
  private relay(socket: Socket, head: Buffer, r: PeerStreamRequest): void {
    socket.pause();
    let spliced = false;
    const closed = () => !socket.writable || socket.destroyed;
    this.svc.consoles
      .openAgentStream(r, r.channel, (agent: Socket, agentHead: Buffer) => {
        if (closed()) return void agent.destroy();
        spliced = true;
        // Both go to the relay process, which answers them and splices (console-relay/splice.ts).
        const hop = this.svc.consoles.spliceForPeer(r.channel, socket, head);
        if (r.kind === "exec" && hop.state !== "closed") {
          this.spliced.set(r.channel, r.hostId);
          hop.once("close", () => this.spliced.delete(r.channel));
        }
        hop.attachAgent(agent, agentHead);
      })
      .catch((err: unknown) => {
        if (spliced) return void socket.destroy();
        // The agent's refusal ("domain is not running"): the peer closes the console with it.
        const message = err instanceof Error ? err.message : String(err);
        if (!closed()) refuse(socket, { status: 409, message: message.slice(0, 200) });
      });
  }

  /** The internal HTTP paths this class answers. */
  handles(path: string): boolean {
    return path === INTERNAL_VOLUME_UPLOAD_PATH || path === INTERNAL_RESIZE_PATH;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Nothing is read, and nothing reaches an agent, without the secret.
    if (!this.secretOk(req))
      return answer(res, 401, errorBody(new ApiError("unauthenticated", "Internal route: cluster secret required")), { connection: "close" });
    const path = (req.url ?? "").split("?")[0];
    if (path === INTERNAL_VOLUME_UPLOAD_PATH) return handleInternalUpload(this.svc, req, res);
    try {
      const body = (await smallJson(req)) as { channel?: unknown; cols?: unknown; rows?: unknown };
      const channel = typeof body.channel === "string" ? body.channel : "";
      const hostId = this.spliced.get(channel);
      if (!hostId) throw new ApiError("not_found", "No exec stream spliced here on this channel", { channel: "unknown" });
      const size = { cols: Number(body.cols), rows: Number(body.rows) };
      await this.svc.hub.call(hostId, "container.resize", { channel, ...size }, 10_000);
      answer(res, 200, { ok: true });
    } catch (err) {
      fail(res, err);
    }
  }
}
