// Query-key factories: one place per resource, so live events and mutations invalidate
// exactly the keys the lists and detail views use.
export const keys = {
  me: () => ["me"] as const,
  sessions: () => ["sessions"] as const,
  users: () => ["users"] as const,
  audit: () => ["audit"] as const,
  tokens: (scope: "mine" | "all") => ["tokens", scope] as const,
  totp: () => ["totp"] as const,
  totpPolicy: () => ["totp", "policy"] as const,
  hosts: {
    all: () => ["hosts"] as const,
    list: () => [...keys.hosts.all(), "list"] as const,
    detail: (id: string) => [...keys.hosts.all(), "detail", id] as const,
  },
  machines: {
    all: () => ["machines"] as const,
    list: () => [...keys.machines.all(), "list"] as const,
    detail: (hostId: string, uuid: string) => [...keys.machines.all(), "detail", hostId, uuid] as const,
  },
  containers: {
    all: () => ["containers"] as const,
    list: () => [...keys.containers.all(), "list"] as const,
    detail: (hostId: string, id: string) => [...keys.containers.all(), "detail", hostId, id] as const,
    images: (hostId: string) => [...keys.containers.all(), "images", hostId] as const,
  },
  metrics: {
    all: () => ["metrics"] as const,
    history: (series: string, range: string) => [...keys.metrics.all(), "history", series, range] as const,
    dashboard: () => [...keys.metrics.all(), "dashboard"] as const,
  },
  networks: {
    all: () => ["networks"] as const,
    list: (hostId: string) => [...keys.networks.all(), "list", hostId] as const,
    leases: (hostId: string, name: string) => [...keys.networks.all(), "leases", hostId, name] as const,
  },
  storage: {
    all: () => ["storage"] as const,
    pools: (hostId: string) => [...keys.storage.all(), "pools", hostId] as const,
    volumes: (hostId: string, pool: string) => [...keys.storage.all(), "volumes", hostId, pool] as const,
  },
  backups: {
    all: () => ["backups"] as const,
    jobs: () => [...keys.backups.all(), "jobs"] as const,
    runs: (jobId: string) => [...keys.backups.all(), "runs", jobId] as const,
    preview: (cron: string, timeZone: string) => [...keys.backups.all(), "preview", cron, timeZone] as const,
  },
  // Scoped access (Settings → Groups, Roles, Access; tag pickers).
  access: {
    all: () => ["access"] as const,
    groups: () => [...keys.access.all(), "groups"] as const,
    roles: () => [...keys.access.all(), "roles"] as const,
    assignments: () => [...keys.access.all(), "assignments"] as const,
    tags: () => [...keys.access.all(), "tags"] as const,
  },
  tasks: {
    all: () => ["tasks"] as const,
    list: () => [...keys.tasks.all(), "list"] as const,
  },
  search: (q: string) => ["search", q] as const,
  alerts: {
    all: () => ["alerts"] as const,
    list: (state: string) => [...keys.alerts.all(), "list", state] as const,
    rules: () => [...keys.alerts.all(), "rules"] as const,
    channels: () => [...keys.alerts.all(), "channels"] as const,
    silences: () => [...keys.alerts.all(), "silences"] as const,
    deliveries: () => [...keys.alerts.all(), "deliveries"] as const,
  },
};
