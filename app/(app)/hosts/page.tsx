import { getTranslations } from "next-intl/server";
import { HostsView } from "@/components/hosts/hosts-view";
import { Page } from "@/components/ui/form";

export default async function HostsPage() {
  const t = await getTranslations("hosts");
  return (
    <Page title={t("page.title")}>
      <HostsView />
    </Page>
  );
}
