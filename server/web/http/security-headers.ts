// Headers for every response, set by the custom server before Next answers.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The policy. In production, scripts run only from this origin or inline with this
 * response's nonce (Next's hydration scripts carry it); no 'unsafe-inline'. Development
 * keeps 'unsafe-inline' and 'unsafe-eval' for React refresh (and so takes no nonce: a
 * nonce would make browsers ignore 'unsafe-inline').
 */
export function contentSecurityPolicy(dev: boolean, nonce: string | null): string {
  const script = dev ? "'self' 'unsafe-inline' 'unsafe-eval'" : `'self' 'nonce-${nonce}'`;
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

/**
 * Sets the response's security headers with a new nonce, and gives Next the same policy
 * on the request: Next takes the nonce for its scripts from the request's
 * Content-Security-Policy header. Whatever the client sent in that header is replaced, so
 * the nonce is never the client's choice.
 */
export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse, dev: boolean, secure: boolean): void {
  const csp = contentSecurityPolicy(dev, dev ? null : randomBytes(18).toString("base64"));
  req.headers["content-security-policy"] = csp;
  delete req.headers["content-security-policy-report-only"];
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (secure) res.setHeader("Strict-Transport-Security", "max-age=31536000");
}
