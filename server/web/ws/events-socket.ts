// /ws/events: one socket per browser tab. It carries live changes; the client applies them
// to its query cache. A client that reconnects with `?resume=<epoch>:<seq>` is sent the
// events it missed, when the bus still holds them, instead of refetching everything.
// Every event, live or replayed, and every metric series goes to a socket only if its user
// may see it now (issue 14 point 2: events/audience.ts); when rights change (an assignment,
// a group, a tag, the user's role or status) the socket re-checks what it holds at once.
import type { WebSocket } from "ws";
import type { ValidSession } from "../auth/sessions";
import type { Services } from "../services";
import type { WsRoute } from "./upgrade";
import type { BrowserEvent } from "../../protocol";
import type { EventBus, Kept } from "../events/bus";
import { sessionAuthenticator } from "./upgrade";
import type { z } from "zod";
import { describeFields, issueFields, MetricsClientMessage, PingMessage } from "../../protocol";
import { MetricsError, type MetricsSubscriber } from "../metrics/metrics-service";
import { maySeeSeries } from "../metrics/series-access";
import { AudienceFilter, type Viewer } from "../events/audience";
import { eventForwarder } from "./event-forwarder";
import { CLOSE_SESSION_ENDED } from "./socket-registry";

export function eventsRoute(svc: Services): WsRoute<ValidSession> {
  return {
    authenticate: sessionAuthenticator(svc),
    maxPayload: 64 * 1024,
    onConnection(ws: WebSocket, req, auth) {
      svc.sockets.add(ws, auth.session.id);
      const sendRaw = (raw: string) => {
        // A browser that stops reading must not make the server buffer without bound:
        // past 4 MiB queued it is cut, and resumes (or refetches) when it reconnects.
        if (ws.bufferedAmount > 4 * 1024 * 1024) return ws.terminate();
        ws.send(raw);
      };
      const send = (e: BrowserEvent) => sendRaw(JSON.stringify(e));
      // The account as it is now: its role is updated in place when rights change.
      const viewer: Viewer = { id: auth.user.id, role: auth.user.role };
      const filter = new AudienceFilter({ access: svc.access, vmOnHost: (hostId, uuid) => !!svc.hub.domain(hostId, uuid) }, viewer);
      // The missed events and the subscription are taken in the same tick, so no event
      // falls between them. Replayed events are filtered by today's rights, like live ones.
      const missed = missedEvents(req.url, svc.bus);
      const helloSeq = svc.bus.lastSeq - (missed?.length ?? 0);
      send({
        type: "hello",
        serverTime: Date.now(),
        user: auth.user.username,
        epoch: svc.bus.epoch,
        seq: helloSeq,
        resumed: missed !== null,
      });
      const forward = eventForwarder(filter, sendRaw, helloSeq);
      for (const p of missed ?? []) forward(p);
      const unsubscribe = svc.bus.subscribe(forward);
      // Metric samples are serialised once per sample and shared by every subscriber.
      const metrics: MetricsSubscriber = {
        send: (raw) => {
          // Live samples are droppable: a slow reader skips them instead of being cut.
          if (ws.bufferedAmount > 1024 * 1024) return;
          ws.send(raw);
        },
      };
      // Rights changed somewhere: this account may be gone, or see less (or more) now.
      const recheck = async () => {
        const now = (await svc.access.liveAccounts([viewer.id])).get(viewer.id);
        if (!now) return ws.close(CLOSE_SESSION_ENDED, "account disabled or removed");
        viewer.role = now.role;
        const lost = svc.metrics.subscribed(metrics).filter((series) => !maySeeSeries(svc.access, viewer, series));
        if (!lost.length) return;
        svc.metrics.unsubscribe(metrics, lost);
        send({ type: "error", code: "forbidden_series", message: "your permission to these series was withdrawn", series: lost });
      };
      const stopWatching = svc.access.onChange(() => void recheck().catch((err: unknown) => console.error("[events] rights re-check failed:", err)));
      ws.on("close", () => {
        unsubscribe();
        stopWatching();
        svc.metrics.unsubscribe(metrics, null);
      });
      const onMetrics = async (m: MetricsClientMessage) => {
        if (m.type === "metrics.unsubscribe") {
          svc.metrics.unsubscribe(metrics, m.series.length ? m.series : null);
          return send({ type: "metrics.unsubscribed", series: m.series });
        }
        // Rights first, then existence: a series of a VM this user may not see is refused
        // the same whether that VM exists or not. On any refusal nothing is subscribed.
        const forbidden = m.series.filter((series) => !maySeeSeries(svc.access, viewer, series));
        if (forbidden.length)
          return send({
            type: "error",
            code: "forbidden_series",
            message: `you may not read: ${forbidden.slice(0, 5).join(", ")}${forbidden.length > 5 ? ", …" : ""}`,
            series: forbidden,
          });
        const checkedAt = svc.access.generation;
        try {
          await svc.metrics.subscribe(metrics, m.series);
          send({ type: "metrics.subscribed", series: m.series });
          // Rights changed while the subscription waited on the database: check again.
          if (svc.access.generation !== checkedAt) await recheck();
        } catch (err) {
          if (!(err instanceof MetricsError)) throw err;
          send({ type: "error", code: err.code, message: err.message, series: err.series });
        }
      };
      // Messages are handled strictly in order (a subscribe that waits on the database must
      // not be overtaken by the unsubscribe sent after it); a client that floods is cut off.
      let queue: Promise<unknown> = Promise.resolve();
      let pendingBytes = 0;
      let size = 0;
      const enqueue = (job: () => Promise<unknown>) => {
        const n = size;
        pendingBytes += n;
        if (pendingBytes > 4 * 1024 * 1024) return ws.close(1008, "too many messages in flight");
        queue = queue.then(job).finally(() => (pendingBytes -= n));
      };
      ws.on("message", (data) => {
        size = (data as Buffer).length ?? 0;
        // Browsers only send pings and (later) subscriptions; anything else is answered
        // with an error, never crashing the server.
        let msg: unknown;
        try {
          msg = JSON.parse(String(data));
        } catch {
          ws.send(JSON.stringify({ type: "error", message: "messages must be JSON" }));
          return;
        }
        const type = typeof msg === "object" && msg ? (msg as { type?: unknown }).type : undefined;
        // Every message is parsed strictly: an unknown field is refused (naming it), not ignored.
        const refuse = (error: z.ZodError) => {
          const fields = issueFields(error, "message");
          send({ type: "error", code: "invalid_message", message: describeFields(fields), fields });
        };
        if (type === "ping") {
          const p = PingMessage.safeParse(msg);
          if (!p.success) return refuse(p.error);
          enqueue(async () => ws.send(JSON.stringify({ type: "pong", serverTime: Date.now() })));
        } else if (type === "metrics.subscribe" || type === "metrics.unsubscribe") {
          const m = MetricsClientMessage.safeParse(msg);
          if (!m.success) return refuse(m.error);
          enqueue(() =>
            onMetrics(m.data).catch((err: unknown) => {
              console.error("[events] metrics subscription failed:", err);
              send({ type: "error", code: "internal", message: "subscription failed" });
            }),
          );
        } else {
          ws.send(JSON.stringify({ type: "error", message: "unknown message type" }));
        }
      });
    },
  };
}

/** The events after `?resume=<epoch>:<seq>` (what the client saw last); null: no resume (anything malformed too). */
function missedEvents(url: string | undefined, bus: EventBus): Kept[] | null {
  const v = new URL(url ?? "/", "http://local").searchParams.get("resume");
  const m = v ? /^([A-Za-z0-9_-]{1,32}):(\d{1,15})$/.exec(v) : null;
  return m ? bus.since(m[1]!, Number(m[2])) : null;
}
