import { services } from "@/server/web/services";
import { checkMetricsToken } from "@/server/web/metrics/prometheus";
import { prometheusScrape } from "@/server/web/services/metrics";

// Prometheus scrape endpoint. Disabled (404) unless HANGAR_METRICS_TOKEN is set; then it
// needs `Authorization: Bearer <token>`. Session cookies are not accepted here.
export async function GET(req: Request): Promise<Response> {
  const svc = services();
  const check = checkMetricsToken(svc.config.metricsToken, req.headers.get("authorization"));
  if (check !== "ok") {
    const status = check === "disabled" ? 404 : 401;
    const message =
      check === "disabled" ? "the /metrics endpoint is disabled (set HANGAR_METRICS_TOKEN to enable it)" : "a valid bearer token is required";
    return new Response(JSON.stringify({ error: { code: check === "disabled" ? "not_found" : "unauthenticated", message } }), {
      status,
      headers: { "content-type": "application/json", ...(status === 401 ? { "www-authenticate": 'Bearer realm="hangar-metrics"' } : {}) },
    });
  }
  return new Response(await prometheusScrape(svc), {
    headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
  });
}
