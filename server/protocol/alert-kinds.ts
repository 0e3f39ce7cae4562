// Alert rule kinds, channel kinds and states as plain values (no zod), so browser code can
// import them without pulling the schemas of alerts.ts into its bundle.
/**
 * What a rule watches. State rules fire on what agents report (a VM or container leaving
 * running without a Hangar task that stopped it, starting too often, a failing health
 * check, a failed task); threshold rules on the metric stream; agent.silent on the time
 * since a host's agent last sent anything.
 */
export const RULE_KINDS = [
  "vm.stopped",
  "container.stopped",
  "restart.loop",
  "container.unhealthy",
  "host.cpu",
  "host.memory",
  "host.disk",
  "host.fs",
  "vm.cpu",
  "agent.silent",
  "task.failed",
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** Threshold rules: value above `threshold` for the rule's `forSeconds`; resolves below threshold − margin. */
export const THRESHOLD_KINDS: ReadonlySet<RuleKind> = new Set(["host.cpu", "host.memory", "host.disk", "host.fs", "vm.cpu"]);

export const CHANNEL_KINDS = ["webhook", "email", "ntfy"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const ALERT_STATES = ["pending", "firing", "resolved"] as const;
export type AlertStateName = (typeof ALERT_STATES)[number];
