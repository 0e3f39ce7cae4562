// Decoding of domain event MESSAGE packets (the "callback" variants registered with
// CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY; their body starts with the callbackID).
import { Proc } from "./procedures";
import { readDomain, type DomainRef } from "./wire-types";
import { XdrReader } from "./xdr";

export interface LifecycleEventPayload {
  kind: "lifecycle";
  callbackId: number;
  dom: DomainRef;
  /** LifecycleEvent.* (STARTED, SUSPENDED, STOPPED, …). */
  event: number;
  /** Event-specific detail (e.g. for STOPPED: 0 shutdown, 1 destroyed, 2 crashed…). */
  detail: number;
}

export interface RebootEventPayload {
  kind: "reboot";
  callbackId: number;
  dom: DomainRef;
}

export interface DeviceEventPayload {
  kind: "device-added" | "device-removed";
  callbackId: number;
  dom: DomainRef;
  devAlias: string;
}

export interface AgentLifecycleEventPayload {
  kind: "agent-lifecycle";
  callbackId: number;
  dom: DomainRef;
  /** 1 connected, 2 disconnected. */
  state: number;
  /** 0 unknown, 1 domain started, 2 channel event. */
  reason: number;
}

export interface MetadataChangeEventPayload {
  kind: "metadata-change";
  callbackId: number;
  dom: DomainRef;
  /** 0 description, 1 title, 2 element. */
  type: number;
  nsuri: string | null;
}

export interface BalloonChangeEventPayload {
  kind: "balloon-change";
  callbackId: number;
  dom: DomainRef;
  /** The balloon's new size in KiB (the guest's current memory). */
  actualKiB: bigint;
}

/** An event this library does not decode: the raw body, so callers can still react. */
export interface UnknownEventPayload {
  kind: "unknown";
  proc: number;
  body: Buffer;
}

export type DomainEvent =
  | LifecycleEventPayload
  | RebootEventPayload
  | DeviceEventPayload
  | AgentLifecycleEventPayload
  | MetadataChangeEventPayload
  | BalloonChangeEventPayload;

/** Decodes a REMOTE program MESSAGE body; unknown procedures come back as "unknown". */
export function decodeDomainEvent(proc: number, body: Buffer): DomainEvent | UnknownEventPayload {
  const r = new XdrReader(body);
  switch (proc) {
    case Proc.DOMAIN_EVENT_CALLBACK_LIFECYCLE: {
      const callbackId = r.int();
      const dom = readDomain(r);
      return { kind: "lifecycle", callbackId, dom, event: r.int(), detail: r.int() };
    }
    case Proc.DOMAIN_EVENT_CALLBACK_REBOOT: {
      const callbackId = r.int();
      return { kind: "reboot", callbackId, dom: readDomain(r) };
    }
    case Proc.DOMAIN_EVENT_CALLBACK_DEVICE_ADDED:
    case Proc.DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED: {
      const callbackId = r.int();
      const dom = readDomain(r);
      const kind = proc === Proc.DOMAIN_EVENT_CALLBACK_DEVICE_ADDED ? "device-added" : "device-removed";
      return { kind, callbackId, dom, devAlias: r.string() };
    }
    case Proc.DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE: {
      const callbackId = r.int();
      const dom = readDomain(r);
      return { kind: "agent-lifecycle", callbackId, dom, state: r.int(), reason: r.int() };
    }
    case Proc.DOMAIN_EVENT_CALLBACK_METADATA_CHANGE: {
      const callbackId = r.int();
      const dom = readDomain(r);
      return { kind: "metadata-change", callbackId, dom, type: r.int(), nsuri: r.optional((x) => x.string()) };
    }
    case Proc.DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE: {
      const callbackId = r.int();
      const dom = readDomain(r);
      return { kind: "balloon-change", callbackId, dom, actualKiB: r.uhyper() };
    }
    default:
      return { kind: "unknown", proc, body: Buffer.from(body) };
  }
}
