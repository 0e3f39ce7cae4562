import { getTranslations } from "next-intl/server";
import { ImportVm } from "@/components/machines/import-vm";
import { Page } from "@/components/ui/form";

export default async function ImportMachinePage() {
  const t = await getTranslations("machines.import");
  return (
    <Page title={t("title")}>
      <ImportVm />
    </Page>
  );
}
