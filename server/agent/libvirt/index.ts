// Public surface of the libvirt RPC library. Callers import from here only.
export {
  LibvirtClient,
  DEFAULT_SOCKET_PATHS,
  type LibvirtClientOptions,
  type LibvirtClientEvents,
  type CallOptions,
} from "./client";
export {
  connectListAllDomains,
  domainLookupByUuid,
  domainLookupByName,
  domainGetXmlDesc,
  domainGetState,
  domainGetInfo,
  domainCreate,
  domainShutdown,
  domainReboot,
  domainDestroy,
  domainReset,
  domainSuspend,
  domainResume,
  domainUndefine,
  domainGetAutostart,
  domainIsPersistent,
  domainIsActive,
  domainSetAutostart,
  domainSetMetadata,
  domainDefineXml,
  domainSendKey,
  connectGetAllDomainStats,
  type DomainStateInfo,
  type DomainInfo,
  type DomainStatsRecord,
} from "./domain-api";
export {
  connectGetHostname,
  nodeGetInfo,
  connectGetLibVersion,
  connectGetVersion,
  connectGetType,
  connectGetCapabilities,
  connectGetDomainCapabilities,
  connectSupportsFeature,
  unpackVersion,
  type NodeInfo,
  type Version,
  type DomainCapabilitiesQuery,
} from "./host-api";
export { LibvirtStream, domainOpenConsole, domainScreenshot, type LibvirtStreamOptions } from "./stream";
export type {
  DomainEvent,
  LifecycleEventPayload,
  RebootEventPayload,
  DeviceEventPayload,
  AgentLifecycleEventPayload,
  MetadataChangeEventPayload,
  BalloonChangeEventPayload,
  UnknownEventPayload,
} from "./events";
export { LibvirtError, ConnectionClosedError, CallTimeoutError } from "./errors";
export { type DomainRef, type TypedParamValue, type RemoteError } from "./wire-types";
export { ProtocolError } from "./packet";
export { XdrError } from "./xdr";
export {
  Proc,
  DomainEventId,
  LifecycleEvent,
  DomainState,
  ListDomainsFlags,
  DomainStatsTypes,
  GetAllDomainStatsFlags,
  UndefineFlags,
  DomainXmlFlags,
  DefineFlags,
  CreateFlags,
  ShutdownFlags,
  DestroyFlags,
  ConsoleFlags,
  MetadataType,
  AffectFlags,
  ErrorCode,
  DrvFeature,
} from "./procedures";
export { storageVolLookupByPath, storageVolDelete, type VolumeRef } from "./storage-api";
