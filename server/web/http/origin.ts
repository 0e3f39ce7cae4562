// Same-origin checks shared by API routes and websocket upgrades.
import type { Config } from "../config";

export interface RequestOriginInfo {
  origin: string | null;
  host: string | null;
  forwardedProto: string | null;
}

export function expectedOrigin(config: Config, info: RequestOriginInfo): string | null {
  if (config.publicUrl) return config.publicUrl.origin;
  if (!info.host) return null;
  const proto = config.trustProxy && info.forwardedProto ? info.forwardedProto.split(",")[0]!.trim() : "http";
  return `${proto}://${info.host}`;
}

/**
 * "ok" when the Origin header is absent (non-browser clients; browsers always send it on
 * POST and on websocket upgrades) or equals ours; "cross" when it names another site.
 */
export function checkOrigin(config: Config, info: RequestOriginInfo): "ok" | "absent" | "cross" {
  if (!info.origin) return "absent";
  const want = expectedOrigin(config, info);
  return want !== null && info.origin === want ? "ok" : "cross";
}
