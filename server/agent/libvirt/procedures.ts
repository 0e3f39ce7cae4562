// Numbers from libvirt's remote_protocol.x and public headers (cross-checked against
// digitalocean/go-libvirt's generated constants). The protocol is append-only in
// practice, so these numbers never change meaning; new ones are only added.

/** REMOTE program procedure numbers. */
export const Proc = {
  CONNECT_OPEN: 1,
  CONNECT_CLOSE: 2,
  CONNECT_GET_TYPE: 3,
  CONNECT_GET_VERSION: 4,
  NODE_GET_INFO: 6,
  CONNECT_GET_CAPABILITIES: 7,
  DOMAIN_GET_XML_DESC: 14,
  DOMAIN_GET_AUTOSTART: 15,
  DOMAIN_GET_INFO: 16,
  DOMAIN_LOOKUP_BY_NAME: 23,
  DOMAIN_LOOKUP_BY_UUID: 24,
  DOMAIN_REBOOT: 27,
  DOMAIN_RESUME: 28,
  DOMAIN_SET_AUTOSTART: 29,
  DOMAIN_SUSPEND: 34,
  CONNECT_GET_HOSTNAME: 59,
  CONNECT_SUPPORTS_FEATURE: 60,
  AUTH_LIST: 66,
  AUTH_POLKIT: 70,
  DOMAIN_IS_ACTIVE: 150,
  DOMAIN_IS_PERSISTENT: 151,
  CONNECT_GET_LIB_VERSION: 157,
  DOMAIN_CREATE_WITH_FLAGS: 196,
  DOMAIN_OPEN_CONSOLE: 201,
  DOMAIN_SCREENSHOT: 211,
  DOMAIN_GET_STATE: 212,
  DOMAIN_SEND_KEY: 226,
  DOMAIN_UNDEFINE_FLAGS: 231,
  DOMAIN_DESTROY_FLAGS: 234,
  DOMAIN_RESET: 245,
  DOMAIN_SHUTDOWN_FLAGS: 258,
  DOMAIN_SET_METADATA: 264,
  CONNECT_LIST_ALL_DOMAINS: 273,
  CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: 316,
  CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY: 317,
  DOMAIN_EVENT_CALLBACK_LIFECYCLE: 318,
  DOMAIN_EVENT_CALLBACK_REBOOT: 319,
  DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE: 331,
  DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED: 333,
  CONNECT_GET_DOMAIN_CAPABILITIES: 342,
  CONNECT_GET_ALL_DOMAIN_STATS: 344,
  DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE: 348,
  DOMAIN_DEFINE_XML_FLAGS: 350,
  DOMAIN_EVENT_CALLBACK_DEVICE_ADDED: 354,
  DOMAIN_EVENT_CALLBACK_METADATA_CHANGE: 379,

  // Provisioning (issue 13): storage pools, volumes, networks, device edits, snapshots.
  DOMAIN_SET_MEMORY: 31,
  NETWORK_CREATE: 39,
  NETWORK_DEFINE_XML: 41,
  NETWORK_DESTROY: 42,
  NETWORK_GET_XML_DESC: 43,
  NETWORK_GET_AUTOSTART: 44,
  NETWORK_GET_BRIDGE_NAME: 45,
  NETWORK_LOOKUP_BY_NAME: 46,
  NETWORK_LOOKUP_BY_UUID: 47,
  NETWORK_SET_AUTOSTART: 48,
  NETWORK_UNDEFINE: 49,
  STORAGE_POOL_DEFINE_XML: 77,
  STORAGE_POOL_CREATE: 78,
  STORAGE_POOL_BUILD: 79,
  STORAGE_POOL_DESTROY: 80,
  STORAGE_POOL_DELETE: 81,
  STORAGE_POOL_UNDEFINE: 82,
  STORAGE_POOL_REFRESH: 83,
  STORAGE_POOL_LOOKUP_BY_NAME: 84,
  STORAGE_POOL_LOOKUP_BY_UUID: 85,
  STORAGE_POOL_LOOKUP_BY_VOLUME: 86,
  STORAGE_POOL_GET_INFO: 87,
  STORAGE_POOL_GET_XML_DESC: 88,
  STORAGE_POOL_GET_AUTOSTART: 89,
  STORAGE_POOL_SET_AUTOSTART: 90,
  STORAGE_VOL_CREATE_XML: 93,
  STORAGE_VOL_DELETE: 94,
  STORAGE_VOL_LOOKUP_BY_NAME: 95,
  STORAGE_VOL_LOOKUP_BY_KEY: 96,
  STORAGE_VOL_LOOKUP_BY_PATH: 97,
  STORAGE_VOL_GET_INFO: 98,
  STORAGE_VOL_GET_XML_DESC: 99,
  STORAGE_VOL_GET_PATH: 100,
  STORAGE_VOL_CREATE_XML_FROM: 125,
  NETWORK_IS_ACTIVE: 152,
  NETWORK_IS_PERSISTENT: 153,
  STORAGE_POOL_IS_ACTIVE: 154,
  STORAGE_POOL_IS_PERSISTENT: 155,
  DOMAIN_ATTACH_DEVICE_FLAGS: 160,
  DOMAIN_DETACH_DEVICE_FLAGS: 161,
  DOMAIN_UPDATE_DEVICE_FLAGS: 174,
  DOMAIN_SNAPSHOT_CREATE_XML: 185,
  DOMAIN_SNAPSHOT_GET_XML_DESC: 186,
  DOMAIN_SNAPSHOT_LOOKUP_BY_NAME: 189,
  DOMAIN_HAS_CURRENT_SNAPSHOT: 190,
  DOMAIN_SNAPSHOT_CURRENT: 191,
  DOMAIN_REVERT_TO_SNAPSHOT: 192,
  DOMAIN_SNAPSHOT_DELETE: 193,
  DOMAIN_SET_VCPUS_FLAGS: 199,
  DOMAIN_GET_VCPUS_FLAGS: 200,
  DOMAIN_SET_MEMORY_FLAGS: 204,
  STORAGE_VOL_UPLOAD: 208,
  STORAGE_VOL_DOWNLOAD: 209,
  DOMAIN_SNAPSHOT_GET_PARENT: 244,
  DOMAIN_BLOCK_RESIZE: 251,
  STORAGE_VOL_RESIZE: 260,
  DOMAIN_SNAPSHOT_IS_CURRENT: 271,
  DOMAIN_LIST_ALL_SNAPSHOTS: 274,
  DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN: 275,
  CONNECT_LIST_ALL_STORAGE_POOLS: 281,
  STORAGE_POOL_LIST_ALL_VOLUMES: 282,
  CONNECT_LIST_ALL_NETWORKS: 283,
  NETWORK_GET_DHCP_LEASES: 341,
  STORAGE_VOL_GET_INFO_FLAGS: 378,
  INTERFACE_GET_XML_DESC: 130,
  CONNECT_LIST_ALL_INTERFACES: 284,
  CONNECT_NETWORK_EVENT_REGISTER_ANY: 313,
  CONNECT_NETWORK_EVENT_DEREGISTER_ANY: 314,
  NETWORK_EVENT_LIFECYCLE: 315,
  CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY: 368,
  CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY: 369,
  STORAGE_POOL_EVENT_LIFECYCLE: 370,
  STORAGE_POOL_EVENT_REFRESH: 373,

  // Live migration (peer to peer: the source daemon drives it): issue 15.
  DOMAIN_ABORT_JOB: 164,
  DOMAIN_GET_JOB_STATS: 298,
  DOMAIN_MIGRATE_PERFORM3_PARAMS: 305,
} as const;

/** VIR_DOMAIN_EVENT_ID_*: what registerDomainEvent subscribes to. */
export const DomainEventId = {
  LIFECYCLE: 0,
  REBOOT: 1,
  RTC_CHANGE: 2,
  WATCHDOG: 3,
  IO_ERROR: 4,
  GRAPHICS: 5,
  IO_ERROR_REASON: 6,
  CONTROL_ERROR: 7,
  BLOCK_JOB: 8,
  DISK_CHANGE: 9,
  TRAY_CHANGE: 10,
  PMWAKEUP: 11,
  PMSUSPEND: 12,
  BALLOON_CHANGE: 13,
  PMSUSPEND_DISK: 14,
  DEVICE_REMOVED: 15,
  BLOCK_JOB_2: 16,
  TUNABLE: 17,
  AGENT_LIFECYCLE: 18,
  DEVICE_ADDED: 19,
  MIGRATION_ITERATION: 20,
  JOB_COMPLETED: 21,
  DEVICE_REMOVAL_FAILED: 22,
  METADATA_CHANGE: 23,
  BLOCK_THRESHOLD: 24,
} as const;

/** VIR_DOMAIN_EVENT_*: the `event` field of a lifecycle event. */
export const LifecycleEvent = {
  DEFINED: 0,
  UNDEFINED: 1,
  STARTED: 2,
  SUSPENDED: 3,
  RESUMED: 4,
  STOPPED: 5,
  SHUTDOWN: 6,
  PMSUSPENDED: 7,
  CRASHED: 8,
} as const;

/** virDomainState. */
export const DomainState = {
  NOSTATE: 0,
  RUNNING: 1,
  BLOCKED: 2,
  PAUSED: 3,
  SHUTDOWN: 4,
  SHUTOFF: 5,
  CRASHED: 6,
  PMSUSPENDED: 7,
} as const;

/** virConnectListAllDomainsFlags. */
export const ListDomainsFlags = {
  ACTIVE: 1,
  INACTIVE: 2,
  PERSISTENT: 4,
  TRANSIENT: 8,
  RUNNING: 16,
  PAUSED: 32,
  SHUTOFF: 64,
  OTHER: 128,
  AUTOSTART: 1024,
  NO_AUTOSTART: 2048,
} as const;

/** virDomainStatsTypes: groups for connectGetAllDomainStats. */
export const DomainStatsTypes = {
  STATE: 1,
  CPU_TOTAL: 2,
  BALLOON: 4,
  VCPU: 8,
  INTERFACE: 16,
  BLOCK: 32,
  PERF: 64,
  IOTHREAD: 128,
  MEMORY: 256,
  DIRTYRATE: 512,
  VM: 1024,
} as const;

/** virConnectGetAllDomainStatsFlags. */
export const GetAllDomainStatsFlags = {
  ACTIVE: 1,
  INACTIVE: 2,
  PERSISTENT: 4,
  TRANSIENT: 8,
  RUNNING: 16,
  PAUSED: 32,
  SHUTOFF: 64,
  OTHER: 128,
  NOWAIT: 0x20000000,
  BACKING: 0x40000000,
  ENFORCE_STATS: 0x80000000,
} as const;

export const UndefineFlags = {
  MANAGED_SAVE: 1,
  SNAPSHOTS_METADATA: 2,
  NVRAM: 4,
  KEEP_NVRAM: 8,
  CHECKPOINTS_METADATA: 16,
  TPM: 32,
  KEEP_TPM: 64,
} as const;

export const DomainXmlFlags = { SECURE: 1, INACTIVE: 2, UPDATE_CPU: 4, MIGRATABLE: 8 } as const;
export const DefineFlags = { VALIDATE: 1 } as const;
export const CreateFlags = { PAUSED: 1, AUTODESTROY: 2, BYPASS_CACHE: 4, FORCE_BOOT: 8, VALIDATE: 16 } as const;
export const ShutdownFlags = { DEFAULT: 0, ACPI_POWER_BTN: 1, GUEST_AGENT: 2, INITCTL: 4, SIGNAL: 8, PARAVIRT: 16 } as const;
export const DestroyFlags = { DEFAULT: 0, GRACEFUL: 1 } as const;
export const ConsoleFlags = { FORCE: 1, SAFE: 2 } as const;
/** virDomainMetadataType. */
export const MetadataType = { DESCRIPTION: 0, TITLE: 1, ELEMENT: 2 } as const;
/** virDomainModificationImpact: which definition a change applies to. */
export const AffectFlags = { CURRENT: 0, LIVE: 1, CONFIG: 2 } as const;

/** virTypedParameterType: the discriminant of remote_typed_param_value. */
export const TypedParamType = { INT: 1, UINT: 2, LLONG: 3, ULLONG: 4, DOUBLE: 5, BOOLEAN: 6, STRING: 7 } as const;

/** VIR_DRV_FEATURE_*: arguments of CONNECT_SUPPORTS_FEATURE. */
export const DrvFeature = { PROGRAM_KEEPALIVE: 12, REMOTE_EVENT_CALLBACK: 13 } as const;

/** remote_auth_type values returned by AUTH_LIST. */
export const AuthType = { NONE: 0, SASL: 1, POLKIT: 2 } as const;

/** virErrorNumber values that callers branch on. */
export const ErrorCode = {
  OK: 0,
  INTERNAL_ERROR: 1,
  NO_SUPPORT: 3,
  NO_CONNECT: 5,
  INVALID_ARG: 8,
  OPERATION_FAILED: 9,
  XML_ERROR: 27,
  DOM_EXIST: 28,
  OPERATION_DENIED: 29,
  SYSTEM_ERROR: 38,
  RPC: 39,
  NETWORK_EXIST: 37,
  NO_DOMAIN: 42,
  NO_NETWORK: 43,
  NO_STORAGE_POOL: 49,
  NO_STORAGE_VOL: 50,
  NO_DOMAIN_SNAPSHOT: 72,
  STORAGE_VOL_EXIST: 90,
  AUTH_FAILED: 45,
  OPERATION_INVALID: 55,
  CONFIG_UNSUPPORTED: 67,
  OPERATION_TIMEOUT: 68,
  ARGUMENT_UNSUPPORTED: 74,
  OPERATION_UNSUPPORTED: 84,
  AGENT_UNRESPONSIVE: 86,
  RESOURCE_BUSY: 87,
  ACCESS_DENIED: 88,
  OPERATION_ABORTED: 78,
  MIGRATE_UNSAFE: 81,
  CPU_INCOMPATIBLE: 91,
} as const;

/** libvirt's REMOTE_DOMAIN_LIST_MAX and friends: bounds for decoded arrays. */
export const Limits = {
  DOMAIN_LIST_MAX: 16384,
  STORAGE_POOL_LIST_MAX: 16384,
  STORAGE_VOL_LIST_MAX: 16384,
  NETWORK_LIST_MAX: 16384,
  DOMAIN_SNAPSHOT_LIST_MAX: 16384,
  NETWORK_DHCP_LEASES_MAX: 65536,
  INTERFACE_LIST_MAX: 16384,
  /** REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX: bounds both records and params per record. */
  CONNECT_GET_ALL_DOMAIN_STATS_MAX: 262144,
  SEND_KEY_MAX: 16,
  AUTH_TYPE_LIST_MAX: 20,
} as const;

// ---- Provisioning flags and enums (libvirt-storage.h, libvirt-network.h, libvirt-domain*.h)

/** virConnectListAllStoragePoolsFlags (the pool-type bits are left out: filter by XML instead). */
export const ListPoolsFlags = { INACTIVE: 1, ACTIVE: 2, PERSISTENT: 4, TRANSIENT: 8, AUTOSTART: 16, NO_AUTOSTART: 32, DIR: 64 } as const;
/** virConnectListAllNetworksFlags. */
export const ListNetworksFlags = { INACTIVE: 1, ACTIVE: 2, PERSISTENT: 4, TRANSIENT: 8, AUTOSTART: 16, NO_AUTOSTART: 32 } as const;
/** virStoragePoolState. */
export const StoragePoolState = { INACTIVE: 0, BUILDING: 1, RUNNING: 2, DEGRADED: 3, INACCESSIBLE: 4 } as const;
export const PoolDefineFlags = { VALIDATE: 1 } as const;
/** virStoragePoolBuildFlags (NEW is 0). */
export const PoolBuildFlags = { NEW: 0, REPAIR: 1, RESIZE: 2, NO_OVERWRITE: 4, OVERWRITE: 8 } as const;
/** virStoragePoolCreateFlags: build the pool (e.g. mkdir its directory) while starting it. */
export const PoolCreateFlags = { NORMAL: 0, WITH_BUILD: 1, WITH_BUILD_OVERWRITE: 2, WITH_BUILD_NO_OVERWRITE: 4 } as const;
/** virStorageVolType. */
export const StorageVolType = { FILE: 0, BLOCK: 1, DIR: 2, NETWORK: 3, NETDIR: 4, PLOOP: 5 } as const;
export const VolCreateFlags = { PREALLOC_METADATA: 1, REFLINK: 2, VALIDATE: 4 } as const;
export const VolDeleteFlags = { NORMAL: 0, ZEROED: 1, WITH_SNAPSHOTS: 2 } as const;
export const VolResizeFlags = { ALLOCATE: 1, DELTA: 2, SHRINK: 4 } as const;
export const VolUploadFlags = { SPARSE_STREAM: 1 } as const;
/** virStorageVolInfoFlags: PHYSICAL reports the file's size on disk as allocation. */
export const VolInfoFlags = { PHYSICAL: 1 } as const;
/** virStorageXMLFlags / virNetworkXMLFlags. */
export const StorageXmlFlags = { INACTIVE: 1 } as const;
export const NetworkXmlFlags = { INACTIVE: 1 } as const;
/** virIPAddrType: the `type` of a DHCP lease. */
export const IpAddrType = { IPV4: 0, IPV6: 1 } as const;
/** virDomainVcpuFlags (LIVE/CONFIG as in AffectFlags). */
export const VcpuFlags = { CURRENT: 0, LIVE: 1, CONFIG: 2, MAXIMUM: 4, GUEST: 8, HOTPLUGGABLE: 16 } as const;
/** virDomainMemoryModFlags. */
export const MemoryFlags = { CURRENT: 0, LIVE: 1, CONFIG: 2, MAXIMUM: 4 } as const;
/** virDomainDeviceModifyFlags. */
export const DeviceModifyFlags = { CURRENT: 0, LIVE: 1, CONFIG: 2, FORCE: 4 } as const;
/** virDomainBlockResizeFlags: BYTES = size in bytes (default KiB). */
export const BlockResizeFlags = { BYTES: 1, CAPACITY: 2 } as const;
export const SnapshotCreateFlags = {
  REDEFINE: 1,
  CURRENT: 2,
  NO_METADATA: 4,
  HALT: 8,
  DISK_ONLY: 16,
  REUSE_EXT: 32,
  QUIESCE: 64,
  ATOMIC: 128,
  LIVE: 256,
  VALIDATE: 512,
} as const;
/** virDomainSnapshotListFlags (DESCENDANTS shares ROOTS' bit: it applies to child listings). */
export const SnapshotListFlags = {
  ROOTS: 1,
  DESCENDANTS: 1,
  METADATA: 2,
  LEAVES: 4,
  NO_LEAVES: 8,
  NO_METADATA: 16,
  INACTIVE: 32,
  ACTIVE: 64,
  DISK_ONLY: 128,
  INTERNAL: 256,
  EXTERNAL: 512,
  TOPOLOGICAL: 1024,
} as const;
export const SnapshotRevertFlags = { RUNNING: 1, PAUSED: 2, FORCE: 4, RESET_NVRAM: 8 } as const;
export const SnapshotDeleteFlags = { CHILDREN: 1, METADATA_ONLY: 2, CHILDREN_ONLY: 4 } as const;
/** virConnectListAllInterfacesFlags. */
export const ListInterfacesFlags = { INACTIVE: 1, ACTIVE: 2 } as const;
/** VIR_STORAGE_POOL_EVENT_ID_* and the lifecycle event's `event` values. */
export const PoolEventId = { LIFECYCLE: 0, REFRESH: 1 } as const;
export const PoolLifecycleEvent = { DEFINED: 0, UNDEFINED: 1, STARTED: 2, STOPPED: 3, CREATED: 4, DELETED: 5 } as const;
/** VIR_NETWORK_EVENT_ID_* and the lifecycle event's `event` values. */
export const NetworkEventId = { LIFECYCLE: 0 } as const;
export const NetworkLifecycleEvent = { DEFINED: 0, UNDEFINED: 1, STARTED: 2, STOPPED: 3 } as const;
