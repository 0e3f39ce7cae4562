// /ws/events: one socket per browser tab. It carries live changes the user may see; the
// client applies them to its query cache. (Resource events join with the agent hub.)
import type { WebSocket } from "ws";
import type { ValidSession } from "../auth/sessions";
import type { Services } from "../services";
import type { WsRoute } from "./upgrade";
import type { BrowserEvent } from "../../protocol";
import { sessionAuthenticator } from "./upgrade";
import type { z } from "zod";
import { describeFields, issueFields, MetricsClientMessage, PingMessage } from "../../protocol";
import { MetricsError, type MetricsSubscriber } from "../metrics/metrics-service";

export function eventsRoute(svc: Services): WsRoute<ValidSession> {
  return {
    authenticate: sessionAuthenticator(svc),
    maxPayload: 64 * 1024,
    onConnection(ws: WebSocket, _req, auth) {
      svc.sockets.add(ws, auth.session.id);
      const send = (e: BrowserEvent) => {
        // A browser that stops reading must not make the server buffer without bound:
        // past 4 MiB queued it is cut, and refetches everything when it reconnects.
        if (ws.bufferedAmount > 4 * 1024 * 1024) return ws.terminate();
        ws.send(JSON.stringify(e));
      };
      send({ type: "hello", serverTime: Date.now(), user: auth.user.username });
      // Every user is an admin today; per-object filtering plugs in here with roles.
      const unsubscribe = svc.bus.subscribe(send);
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
