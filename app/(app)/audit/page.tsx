import { getTranslations } from "next-intl/server";
import { AuditView } from "@/components/audit/audit-view";
import { Page } from "@/components/ui/form";

export default async function AuditPage() {
  const t = await getTranslations("audit");
  return (
    <Page title={t("title")}>
      <AuditView />
    </Page>
  );
}
