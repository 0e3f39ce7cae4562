import { getTranslations } from "next-intl/server";
import { ContainersView } from "@/components/containers/containers-view";
import { Page } from "@/components/ui/form";

export default async function ContainersPage() {
  const t = await getTranslations("containers");
  return (
    <Page title={t("page.title")}>
      <ContainersView />
    </Page>
  );
}
