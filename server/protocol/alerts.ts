// Alerting (issue 16 point 1): the rule, channel and silence shapes the browser sends, and
// the rows it reads. Rules are evaluated by the server (server/web/alerts/).
import { z } from "zod";
import { TagName } from "./tags";
import { ALERT_STATES, CHANNEL_KINDS, RULE_KINDS, THRESHOLD_KINDS, type AlertStateName, type ChannelKind, type RuleKind } from "./alert-kinds";

export * from "./alert-kinds";

export const ThresholdParams = z.strictObject({
  /** % for cpu, memory and file systems; bytes/s (read + write) for host.disk. */
  threshold: z.number().min(0).max(1e15),
  /** Hysteresis: a firing alert resolves only below threshold − margin (default 5% of threshold). */
  margin: z.number().min(0).max(1e15).optional(),
  /** host.fs: one mount point only (default: the fullest). */
  mount: z.string().min(1).max(512).optional(),
});
export const RestartLoopParams = z.strictObject({
  starts: z.number().int().min(2).max(1000),
  windowSeconds: z.number().int().min(1).max(86_400),
});
export const SilentParams = z.strictObject({ seconds: z.number().int().min(5).max(86_400) });
export const TaskFailedParams = z.strictObject({
  /** Only tasks whose kind starts with this (e.g. "vm.backup"); default every task. */
  kindPrefix: z.string().min(1).max(64).optional(),
});
export const EmptyParams = z.strictObject({});

export function paramsSchema(kind: RuleKind): z.ZodType {
  if (THRESHOLD_KINDS.has(kind)) return ThresholdParams;
  if (kind === "restart.loop") return RestartLoopParams;
  if (kind === "agent.silent") return SilentParams;
  if (kind === "task.failed") return TaskFailedParams;
  return EmptyParams;
}

export const RuleScope = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("everything") }),
  z.strictObject({ type: z.literal("host"), id: z.string().min(1).max(64) }),
  z.strictObject({ type: z.literal("tag"), id: TagName }),
]);
export type RuleScope = z.infer<typeof RuleScope>;

const RuleName = z.string().trim().min(1, "required").max(120, "at most 120 characters");
const Ids = z.array(z.string().min(1).max(64)).max(32);

export const NewRuleBody = z.strictObject({
  name: RuleName,
  kind: z.enum(RULE_KINDS),
  params: z.record(z.string(), z.unknown()).default({}),
  scope: RuleScope.default({ type: "everything" }),
  forSeconds: z.number().int().min(0).max(86_400).default(0),
  enabled: z.boolean().default(true),
  channelIds: Ids.default([]),
});
export const RulePatchBody = z.strictObject({
  name: RuleName.optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  scope: RuleScope.optional(),
  forSeconds: z.number().int().min(0).max(86_400).optional(),
  enabled: z.boolean().optional(),
  channelIds: Ids.optional(),
});

const HttpUrl = z
  .string()
  .max(2048)
  .url("a URL")
  .refine((u) => /^https?:\/\//.test(u), "an http:// or https:// URL");
export const WebhookConfig = z.strictObject({ url: HttpUrl });
export const NtfyConfig = z.strictObject({ url: HttpUrl });
export const EmailConfig = z.strictObject({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  username: z.string().max(255).optional(),
  from: z.string().min(3).max(320),
  to: z.array(z.string().min(3).max(320)).min(1).max(32),
});
export type WebhookConfig = z.infer<typeof WebhookConfig>;
export type NtfyConfig = z.infer<typeof NtfyConfig>;
export type EmailConfig = z.infer<typeof EmailConfig>;

export function channelConfigSchema(kind: ChannelKind): z.ZodType {
  return kind === "email" ? EmailConfig : kind === "ntfy" ? NtfyConfig : WebhookConfig;
}

const ChannelName = z.string().trim().min(1, "required").max(120, "at most 120 characters");
export const NewChannelBody = z.strictObject({
  name: ChannelName,
  kind: z.enum(CHANNEL_KINDS),
  config: z.record(z.string(), z.unknown()),
  /** Webhook: left out, the server makes one (answered once). E-mail: SMTP password; ntfy: bearer token. */
  secret: z.string().min(1).max(512).optional(),
  enabled: z.boolean().default(true),
});
export const ChannelPatchBody = z.strictObject({
  name: ChannelName.optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  secret: z.string().min(1).max(512).optional(),
  enabled: z.boolean().optional(),
});

export const NewSilenceBody = z
  .strictObject({
    ruleId: z.string().min(1).max(64).optional(),
    subjectKey: z.string().min(1).max(200).optional(),
    endsAt: z.iso.datetime({ offset: true, message: "an ISO date-time" }),
    comment: z.string().max(500).default(""),
  })
  .refine((s) => s.ruleId !== undefined || s.subjectKey !== undefined, { message: "give a rule, a subject or both", path: ["ruleId"] });

export const AlertListQuery = z.strictObject({
  state: z.enum([...ALERT_STATES, "active"]).optional(),
  ruleId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export const DeliveryListQuery = z.strictObject({
  alertId: z.string().min(1).max(64).optional(),
  channelId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export interface AlertRuleRow {
  id: string;
  name: string;
  kind: RuleKind;
  params: Record<string, unknown>;
  scope: RuleScope;
  forSeconds: number;
  enabled: boolean;
  channelIds: string[];
  createdBy: string;
  createdAt: string;
}

export interface AlertChannelRow {
  id: string;
  name: string;
  kind: ChannelKind;
  config: Record<string, unknown>;
  /** Masked ("••••1a2b") except in the answer to its creation, or "" when none. */
  secret: string;
  enabled: boolean;
  createdAt: string;
}

export interface AlertRow {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: RuleKind;
  subjectKey: string;
  subjectType: "vm" | "container" | "host" | "task";
  subjectName: string;
  hostId: string | null;
  targetId: string | null;
  state: AlertStateName;
  value: number | null;
  message: string;
  since: string;
  firingAt: string | null;
  resolvedAt: string | null;
  /** An active silence matches it: no delivery while it lasts. */
  silenced: boolean;
}

export interface SilenceRow {
  id: string;
  ruleId: string | null;
  subjectKey: string | null;
  endsAt: string;
  createdBy: string;
  comment: string;
  createdAt: string;
}

export interface DeliveryRow {
  id: string;
  alertId: string | null;
  channelId: string;
  channelName: string;
  event: "firing" | "resolved" | "test";
  attempt: number;
  status: "queued" | "retrying" | "sent" | "failed";
  error: string | null;
  at: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
}

/** The JSON a webhook receives (signed: X-Hangar-Signature: sha256=<hex HMAC-SHA256 of the body>). */
export interface AlertNotification {
  event: "firing" | "resolved" | "test";
  /** When this attempt was sent (ms since the epoch); also in X-Hangar-Timestamp. Signed with the body. */
  sentAt: number;
  alert: Pick<
    AlertRow,
    | "id"
    | "ruleId"
    | "ruleName"
    | "kind"
    | "subjectKey"
    | "subjectType"
    | "subjectName"
    | "hostId"
    | "targetId"
    | "state"
    | "value"
    | "message"
    | "since"
    | "firingAt"
    | "resolvedAt"
  >;
  /** Link to the subject's page on this server. */
  url: string;
}
