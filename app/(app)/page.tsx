import { getTranslations } from "next-intl/server";
import { Page } from "@/components/ui/form";
import { DashboardView } from "@/components/dashboard/dashboard-view";

export default async function DashboardPage() {
  const t = await getTranslations("dashboard");
  return (
    <Page title={t("title")}>
      <DashboardView />
    </Page>
  );
}
