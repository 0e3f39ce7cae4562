// The per-socket step of the event fan-out: filter by audience, then send the shared JSON.
// /ws/events and bench/scope-fanout.ts both use this, so the benchmark measures the code
// that runs. A scoped user is not sent every event, so the sequence numbers it receives
// have gaps; the first event after a gap carries `prev` (the last seq this socket was sent)
// so the client can tell "filtered out" from "lost" (which makes it refetch).
import type { Kept, Published } from "../events/bus";
import type { AudienceFilter } from "../events/audience";

export type Forward = (p: Published | Kept) => void;

/** `lastSeq`: the seq the client knows (its hello's). */
export function eventForwarder(filter: AudienceFilter, sendRaw: (raw: string) => void, lastSeq: number): Forward {
  let last = lastSeq;
  return (p) => {
    if (!filter.admits(p.audience)) return;
    if ("transient" in p && p.transient) return sendRaw(p.raw);
    // Spliced into the shared JSON (`{"type":…` → `{"prev":N,"type":…`): no re-serialising.
    const raw = p.seq === last + 1 ? p.raw : `{"prev":${last},${p.raw.slice(1)}`;
    last = p.seq;
    sendRaw(raw);
  };
}
