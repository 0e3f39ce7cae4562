import { AuditView } from "@/components/audit/audit-view";
import { Page } from "@/components/ui/form";

export default function AuditPage() {
  return (
    <Page title="Audit log">
      <AuditView />
    </Page>
  );
}
