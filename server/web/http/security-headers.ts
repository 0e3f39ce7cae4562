// Headers for every response, set by the custom server before Next answers.
import type { ServerResponse } from "node:http";

export function contentSecurityPolicy(dev: boolean): string {
  // Next's hydration scripts are inline, so 'unsafe-inline' stays for scripts; eval is
  // allowed only in development (React refresh needs it).
  const script = dev ? "'self' 'unsafe-inline' 'unsafe-eval'" : "'self' 'unsafe-inline'";
  return [
    "default-src 'self'",
    `script-src ${script}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function setSecurityHeaders(res: ServerResponse, dev: boolean, secure: boolean): void {
  res.setHeader("Content-Security-Policy", contentSecurityPolicy(dev));
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (secure) res.setHeader("Strict-Transport-Security", "max-age=31536000");
}
