import { route } from "@/server/web/http/route";
import { AuditFilter, exportAuditCsv } from "@/server/web/services/audit-log";

export const GET = route({ permission: "audit.read", query: AuditFilter }, async ({ svc, query }) => {
  const name = `hangar-audit-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}Z.csv`;
  return new Response(exportAuditCsv(svc, query), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
});
