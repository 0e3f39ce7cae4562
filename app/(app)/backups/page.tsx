import { getTranslations } from "next-intl/server";
import { BackupJobs } from "@/components/backups/backup-jobs";
import { Page } from "@/components/ui/form";

export default async function BackupsPage() {
  const t = await getTranslations("backups");
  return (
    <Page title={t("page.title")}>
      <BackupJobs />
    </Page>
  );
}
