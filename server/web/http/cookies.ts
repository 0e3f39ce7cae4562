import type { Config } from "../config";

export function sessionCookieName(config: Config): string {
  // __Host- binds the cookie to this exact origin (Secure, Path=/, no Domain).
  return config.secureCookies ? "__Host-hangar_session" : "hangar_session";
}

export function parseCookies(header: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (!out.has(k)) out.set(k, decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

export function sessionCookie(config: Config, token: string): string {
  const attrs = [`${sessionCookieName(config)}=${token}`, "Path=/", "HttpOnly", "SameSite=Strict"];
  if (config.secureCookies) attrs.push("Secure");
  // No Max-Age: the server enforces lifetime; a session cookie also dies with the browser.
  return attrs.join("; ");
}

export function clearedSessionCookie(config: Config): string {
  const attrs = [`${sessionCookieName(config)}=`, "Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=0"];
  if (config.secureCookies) attrs.push("Secure");
  return attrs.join("; ");
}

export function oidcFlowCookieName(config: Config): string {
  return config.secureCookies ? "__Host-hangar_oidc" : "hangar_oidc";
}

/**
 * Binds an OIDC sign-in to the browser that started it (its handle, auth/oidc.ts). Lax, not
 * Strict: the browser must send it on the provider's cross-site redirect to the callback.
 */
export function oidcFlowCookie(config: Config, handle: string, maxAgeSeconds: number): string {
  const attrs = [`${oidcFlowCookieName(config)}=${handle}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
  if (config.secureCookies) attrs.push("Secure");
  return attrs.join("; ");
}

export function clearedOidcFlowCookie(config: Config): string {
  const attrs = [`${oidcFlowCookieName(config)}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (config.secureCookies) attrs.push("Secure");
  return attrs.join("; ");
}
