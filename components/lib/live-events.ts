"use client";
// One websocket per tab (/ws/events) feeding the React Query cache: rows are patched in
// place with setQueryData, hosts are invalidated precisely. A reconnect asks to resume
// from the last event seen; only when the server no longer holds the missed events (or
// restarted, or a sequence number is skipped) is everything refetched.
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { BrowserEvent, ContainerRow, MachineRow, SeqGap, TaskRow } from "@/server/protocol/browser-events";
import { keys } from "./query-keys";
import { metricsClient } from "../metrics/metrics-client";

export type LinkState = "connecting" | "live" | "offline";

const PING_MS = 10_000;
/** Nothing heard for this long (two pings unanswered) means the link is dead. */
const SILENCE_MS = 25_000;

/** A list query's data: rows of one host-scoped resource (machines, containers). */
interface ListData<R> {
  rows: R[];
  total: number;
}
type Row = { hostId: string; stale: boolean; observedAt: string };

function upsertRow<R extends Row>(qc: QueryClient, key: readonly unknown[], row: R, same: (r: R) => boolean): void {
  qc.setQueryData<ListData<R>>(key, (old) => {
    if (!old) return old;
    const i = old.rows.findIndex(same);
    if (i < 0) return { rows: [...old.rows, row], total: old.total + 1 };
    const rows = old.rows.slice();
    rows[i] = row;
    return { rows, total: old.total };
  });
}

function removeRows<R extends Row>(qc: QueryClient, key: readonly unknown[], gone: (r: R) => boolean): void {
  qc.setQueryData<ListData<R>>(key, (old) => {
    if (!old) return old;
    const rows = old.rows.filter((r) => !gone(r));
    return { rows, total: old.total - (old.rows.length - rows.length) };
  });
}

/** A host went offline or came back: its rows in every list are (no longer) stale. */
function markHost(qc: QueryClient, key: readonly unknown[], hostId: string, stale: boolean, observedAt: string): void {
  qc.setQueryData<ListData<Row>>(key, (old) =>
    old ? { ...old, rows: old.rows.map((r) => (r.hostId === hostId ? { ...r, stale, observedAt } : r)) } : old,
  );
}

export function applyEvent(qc: QueryClient, e: BrowserEvent): void {
  if (
    e.type === "machine.upsert" ||
    e.type === "machine.remove" ||
    e.type === "host.changed" ||
    e.type === "machines.host" ||
    e.type === "metrics.fleet"
  )
    void qc.invalidateQueries({ queryKey: keys.metrics.dashboard() });
  switch (e.type) {
    case "machine.upsert": {
      const m = e.machine;
      upsertRow<MachineRow>(qc, keys.machines.list(), m, (r) => r.hostId === m.hostId && r.uuid === m.uuid);
      qc.setQueryData<{ machine: MachineRow; xml: string | null }>(keys.machines.detail(m.hostId, m.uuid), (old) =>
        old ? { ...old, machine: m } : old,
      );
      return;
    }
    case "machine.remove":
      removeRows<MachineRow>(qc, keys.machines.list(), (r) => r.hostId === e.hostId && r.uuid === e.uuid);
      void qc.invalidateQueries({ queryKey: keys.machines.detail(e.hostId, e.uuid) });
      return;
    case "machines.host":
      markHost(qc, keys.machines.list(), e.hostId, e.stale, e.observedAt);
      markHost(qc, keys.containers.list(), e.hostId, e.stale, e.observedAt);
      return;
    case "container.upsert": {
      const c = e.container;
      upsertRow<ContainerRow>(qc, keys.containers.list(), c, (r) => r.hostId === c.hostId && r.id === c.id);
      qc.setQueryData<{ container: ContainerRow; inspect: unknown }>(keys.containers.detail(c.hostId, c.id), (old) =>
        old ? { ...old, container: c } : old,
      );
      return;
    }
    case "container.remove":
      removeRows<ContainerRow>(qc, keys.containers.list(), (r) => r.hostId === e.hostId && r.id === e.id);
      void qc.invalidateQueries({ queryKey: keys.containers.detail(e.hostId, e.id) });
      return;
    case "host.changed":
      void qc.invalidateQueries({ queryKey: keys.hosts.all() });
      return;
    case "pools.changed":
      // Sizes and the volume list may have changed too (a refresh, a pool stopped or gone).
      void qc.invalidateQueries({ queryKey: keys.storage.pools(e.hostId) });
      void qc.invalidateQueries({ queryKey: keys.storage.volumes(e.hostId, e.pool) });
      return;
    case "networks.changed":
      void qc.invalidateQueries({ queryKey: keys.networks.list(e.hostId) });
      return;
    case "task.upsert":
      // Networks are not pushed as rows: a finished network task is the cue to re-read them.
      if (e.task.targetType === "network" && e.task.hostId && (e.task.status === "succeeded" || e.task.status === "failed"))
        void qc.invalidateQueries({ queryKey: keys.networks.list(e.task.hostId) });
      // A backup job's run is a task: its start and end move the job's last run and its runs list.
      if (e.task.kind === "vm.backup" || e.task.kind === "vm.snapshot.create") void qc.invalidateQueries({ queryKey: keys.backups.all() });
      qc.setQueryData<{ tasks: TaskRow[] }>(keys.tasks.list(), (old) => {
        if (!old) return old;
        const rest = old.tasks.filter((t) => t.id !== e.task.id);
        return { tasks: [e.task, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) };
      });
      return;
    case "alert.upsert":
      // The event names only the alert: the lists (filtered by access) are read again.
      void qc.invalidateQueries({ queryKey: keys.alerts.all() });
      return;
    default:
      return;
  }
}

export function useLiveEvents(): LinkState {
  const qc = useQueryClient();
  const [state, setState] = useState<LinkState>("connecting");
  useEffect(() => {
    let ws: WebSocket | null = null;
    let stopped = false;
    let attempt = 0;
    // Where to resume from after a reconnect: the server's run and the last event applied.
    let epoch = "";
    let lastSeq = 0;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let ping: ReturnType<typeof setInterval> | null = null;
    // When the server was last heard from. A connection that went silent (network lost
    // without a FIN: the browser would wait for ever) is dropped and redialled.
    let heard = 0;

    const closed = (code: number) => {
      if (ping) clearInterval(ping);
      if (ws) metricsClient.detach(ws);
      if (stopped) return;
      setState("offline");
      if (code === 4401) {
        window.location.assign("/login");
        return;
      }
      // 4409: a second factor is now required and this user has none (server/web/ws/socket-registry.ts).
      if (code === 4409) {
        window.location.assign("/enrol-totp");
        return;
      }
      const delay = Math.min(15_000, 500 * 2 ** attempt++) * (0.5 + Math.random() / 2);
      retry = setTimeout(connect, delay);
    };

    const connect = () => {
      const proto = window.location.protocol === "https:" ? "wss:" : "ws:";
      const resume = epoch ? `?resume=${encodeURIComponent(`${epoch}:${lastSeq}`)}` : "";
      ws = new WebSocket(`${proto}//${window.location.host}/ws/events${resume}`);
      ws.onopen = () => {
        attempt = 0;
        heard = Date.now();
        setState("live");
        // Pings keep idle proxies from dropping the socket, and their pongs prove the link.
        ping = setInterval(() => {
          const s = ws;
          if (s?.readyState !== WebSocket.OPEN) return;
          if (Date.now() - heard > SILENCE_MS) {
            s.onclose = null;
            s.onmessage = null;
            s.close();
            return closed(4000);
          }
          s.send('{"type":"ping"}');
        }, PING_MS);
        if (ws) metricsClient.attach(ws);
      };
      ws.onmessage = (msg) => {
        heard = Date.now();
        let e: BrowserEvent;
        try {
          e = JSON.parse(String(msg.data)) as BrowserEvent;
        } catch {
          return;
        }
        // Samples are frequent and not cached: straight to their subscribers.
        if (e.type === "metrics") return metricsClient.deliver(e.samples);
        // A series that does not exist, or that this user may not read: stop asking for it.
        if (e.type === "error" && (e.code === "unknown_series" || e.code === "forbidden_series")) metricsClient.onError(e.series);
        if (e.type === "hello") {
          // Not resumed (first connect, server restarted, or away too long): whatever
          // changed before this socket opened is only known by refetching.
          if (!e.resumed) void qc.invalidateQueries();
          epoch = e.epoch;
          lastSeq = e.seq;
        } else if ("seq" in e) {
          if (e.seq <= lastSeq) return; // already applied
          // A scoped user is not sent events outside their scope: the server marks the first
          // event after such a gap with `prev` (the last seq it sent this socket), so only a
          // real loss (prev not what we saw last) costs a refetch.
          if (e.seq !== lastSeq + 1 && (e as SeqGap).prev !== lastSeq) void qc.invalidateQueries();
          lastSeq = e.seq;
        }
        applyEvent(qc, e);
        window.dispatchEvent(new CustomEvent("hangar:event", { detail: e }));
      };
      ws.onclose = (ev) => closed(ev.code);
    };
    metricsClient.setHidden(document.visibilityState === "hidden");
    connect();
    // A tab waking from sleep, or a network coming back, reconnects at once instead of
    // waiting out the backoff.
    const redial = () => {
      if (ws?.readyState !== WebSocket.CLOSED && ws?.onclose) return;
      if (retry) clearTimeout(retry);
      attempt = 0;
      connect();
    };
    const onVisible = () => {
      // Live samples pause while the tab is hidden.
      metricsClient.setHidden(document.visibilityState === "hidden");
      if (document.visibilityState === "visible") redial();
    };
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("online", redial);
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      if (ping) clearInterval(ping);
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("online", redial);
      ws?.close();
    };
  }, [qc]);
  return state;
}
