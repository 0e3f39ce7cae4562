// How one notification reaches one channel: a signed webhook, an e-mail over SMTP, an
// ntfy-style post. Each attempt is bounded by a timeout, so a receiver that hangs costs its
// own channel one slot for that long and nothing else (delivery.ts keeps channels apart).
import { createHmac } from "node:crypto";
import nodemailer from "nodemailer";
import type { AlertNotification, ChannelKind, EmailConfig, NtfyConfig, WebhookConfig } from "../../protocol/alerts";

export interface ChannelTarget {
  id: string;
  name: string;
  kind: ChannelKind;
  config: Record<string, unknown>;
  secret: string;
  enabled: boolean;
}

export const SIGNATURE_HEADER = "X-Hangar-Signature";
export const TIMESTAMP_HEADER = "X-Hangar-Timestamp";

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the channel's secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export async function send(ch: ChannelTarget, n: AlertNotification, timeoutMs: number): Promise<void> {
  if (ch.kind === "webhook") return webhook(ch.config as WebhookConfig, ch.secret, n, timeoutMs);
  if (ch.kind === "ntfy") return ntfy(ch.config as NtfyConfig, ch.secret, n, timeoutMs);
  return email(ch.config as EmailConfig, ch.secret, n, timeoutMs);
}

async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  const res = await fetch(url, { method: "POST", body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
  // The body is read (and dropped) so the connection can be reused.
  const text = await res.text().catch(() => "");
  if (!res.ok) throw new Error(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}`);
}

async function webhook(cfg: WebhookConfig, secret: string, n: AlertNotification, timeoutMs: number): Promise<void> {
  const body = JSON.stringify(n);
  await post(
    cfg.url,
    body,
    {
      "Content-Type": "application/json",
      "User-Agent": "Hangar-Alerts",
      "X-Hangar-Event": n.event,
      [TIMESTAMP_HEADER]: String(n.sentAt),
      [SIGNATURE_HEADER]: signature(secret, body),
    },
    timeoutMs,
  );
}

export function title(n: AlertNotification): string {
  const what = n.event === "test" ? "TEST" : n.event === "firing" ? "FIRING" : "RESOLVED";
  return `[Hangar] ${what}: ${n.alert.ruleName} — ${n.alert.subjectName}`;
}

function text(n: AlertNotification): string {
  const lines = [title(n), "", n.alert.message, "", `Rule: ${n.alert.ruleName} (${n.alert.kind})`, `Subject: ${n.alert.subjectName}`];
  if (n.alert.firingAt) lines.push(`Firing since: ${n.alert.firingAt}`);
  if (n.alert.resolvedAt) lines.push(`Resolved at: ${n.alert.resolvedAt}`);
  lines.push("", `Open in Hangar: ${n.url}`);
  return lines.join("\n");
}

async function ntfy(cfg: NtfyConfig, token: string, n: AlertNotification, timeoutMs: number): Promise<void> {
  // ntfy reads headers as Latin-1: the title goes without the em dash.
  const headers: Record<string, string> = {
    "Content-Type": "text/plain; charset=utf-8",
    Title: title(n)
      .replace("—", "-")
      .replace(/[^\x20-\x7e]/g, "?"),
    Priority: n.event === "firing" ? "high" : "default",
    Tags: n.event === "firing" ? "rotating_light" : n.event === "resolved" ? "white_check_mark" : "test_tube",
    Click: n.url,
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  await post(cfg.url, `${n.alert.message}\n${n.url}`, headers, timeoutMs);
}

async function email(cfg: EmailConfig, password: string, n: AlertNotification, timeoutMs: number): Promise<void> {
  const transport = nodemailer.createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure,
    auth: cfg.username ? { user: cfg.username, pass: password } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await transport.sendMail({
      from: cfg.from,
      to: cfg.to,
      subject: title(n),
      text: text(n),
      html: `<p>${esc(n.alert.message)}</p><p>Rule: ${esc(n.alert.ruleName)}<br>Subject: ${esc(n.alert.subjectName)}</p><p><a href="${esc(n.url)}">Open ${esc(n.alert.subjectName)} in Hangar</a></p>`,
    });
  } finally {
    transport.close();
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
