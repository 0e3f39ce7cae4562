import { getTranslations } from "next-intl/server";
import { AlertsView } from "@/components/alerts/alerts-view";
import { Page } from "@/components/ui/form";

export default async function AlertsPage() {
  const t = await getTranslations("alerts");
  return (
    <Page title={t("page.title")}>
      <AlertsView />
    </Page>
  );
}
