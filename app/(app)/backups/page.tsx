import { BackupJobs } from "@/components/backups/backup-jobs";
import { Page } from "@/components/ui/form";

export default function BackupsPage() {
  return (
    <Page title="Backups">
      <BackupJobs />
    </Page>
  );
}
