import { services, type Services } from "@/server/web/services";
import { checkMetricsToken, type ScrapeScope } from "@/server/web/metrics/prometheus";
import { prometheusScrape } from "@/server/web/services/metrics";
import { bearerValue, TOKEN_PREFIX, type TokenAuth } from "@/server/web/auth/api-tokens";
import { CLIENT_IP_HEADER } from "@/server/web/http/route";

// Prometheus scrape endpoint. Session cookies are not accepted here. Two credentials work:
// a personal API token (hgr_…) holding host.read and vm.read (the scrape carries host and
// machine series), or the shared HANGAR_METRICS_TOKEN; without that variable and without
// an API token the endpoint is disabled (404). With an API token, the scrape carries only
// the hosts and machines its owner may read, and only series of permissions the token holds.
const METRICS_PERMISSIONS = ["host.read", "vm.read"] as const;

export async function GET(req: Request): Promise<Response> {
  const svc = services();
  const header = req.headers.get("authorization");
  const bearer = bearerValue(header);
  if (bearer?.startsWith(TOKEN_PREFIX)) {
    const r = await apiTokenRefusal(svc, bearer, req.headers.get(CLIENT_IP_HEADER) ?? "");
    if (r instanceof Response) return r;
    return scrape(svc, (p, resource) => r.permissions.has(p) && svc.access.can(r.user, p, resource));
  }
  const check = checkMetricsToken(svc.config.metricsToken, header);
  if (check !== "ok") {
    const status = check === "disabled" ? 404 : 401;
    const message =
      check === "disabled" ? "the /metrics endpoint is disabled (set HANGAR_METRICS_TOKEN to enable it)" : "a valid bearer token is required";
    return error(status, check === "disabled" ? "not_found" : "unauthenticated", message);
  }
  return scrape(svc);
}

async function apiTokenRefusal(svc: Services, value: string, ip: string): Promise<Response | TokenAuth> {
  const r = await svc.apiTokens.authenticate(value, ip);
  if ("refused" in r) {
    svc.apiTokens.recordFailure({ reason: r.refused, ip, path: "/metrics", token: r.token, user: r.user });
    return error(
      401,
      "unauthenticated",
      `this API token ${r.refused === "expired" ? "has expired" : r.refused === "revoked" ? "was revoked" : "is not valid"}`,
    );
  }
  const missing = METRICS_PERMISSIONS.find((p) => !r.permissions.has(p));
  if (missing || svc.totp.mustEnrol(r.user)) {
    svc.apiTokens.recordFailure({ reason: "forbidden", ip, path: "/metrics", token: r.token, user: r.user, permission: missing });
    return error(
      403,
      "forbidden",
      missing ? `this API token lacks the permission ${missing}` : "the token's owner must set up two-factor sign-in first",
    );
  }
  return r;
}

async function scrape(svc: Services, may?: ScrapeScope): Promise<Response> {
  return new Response(await prometheusScrape(svc, may), {
    headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
  });
}

function error(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    // i18n-ignore: an HTTP header value
    headers: { "content-type": "application/json", ...(status === 401 ? { "www-authenticate": 'Bearer realm="hangar-metrics"' } : {}) },
  });
}
