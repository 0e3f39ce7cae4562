// /ws/events: one socket per browser tab. It carries live changes; the client applies them
// to its query cache. A client that reconnects with `?resume=<epoch>:<seq>` is sent the
// events it missed, when the bus still holds them, instead of refetching everything.
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
      // The missed events and the subscription are taken in the same tick, so no event
      // falls between them. Roles are fleet-wide today: every user may see every event.
      const missed = missedEvents(req.url, svc.bus);
      send({
        type: "hello",
        serverTime: Date.now(),
        user: auth.user.username,
        epoch: svc.bus.epoch,
        seq: svc.bus.lastSeq - (missed?.length ?? 0),
        resumed: missed !== null,
      });
      for (const p of missed ?? []) sendRaw(p.raw);
      const unsubscribe = svc.bus.subscribe((p) => sendRaw(p.raw));
      // Metric samples are serialised once per sample and shared by every subscriber.
      const metrics: MetricsSubscriber = {
        send: (raw) => {
          // Live samples are droppable: a slow reader skips them instead of being cut.
          if (ws.bufferedAmount > 1024 * 1024) return;
          ws.send(raw);
        },
      };
      ws.on("close", () => {
        unsubscribe();
        svc.metrics.unsubscribe(metrics, null);
      });
      const onMetrics = async (m: MetricsClientMessage) => {
        if (m.type === "metrics.unsubscribe") {
          svc.metrics.unsubscribe(metrics, m.series.length ? m.series : null);
          return send({ type: "metrics.unsubscribed", series: m.series });
        }
        try {
          await svc.metrics.subscribe(metrics, m.series);
          send({ type: "metrics.subscribed", series: m.series });
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
