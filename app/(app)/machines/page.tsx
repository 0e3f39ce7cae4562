import { MachinesTable } from "@/components/machines/machines-table";
import { HostHealthBanner } from "@/components/machines/host-health-banner";
import { ImportVmLink } from "@/components/machines/import-vm";
import { Page } from "@/components/ui/form";

export default function MachinesPage() {
  return (
    <Page title="Machines">
      <HostHealthBanner />
      <ImportVmLink />
      <MachinesTable />
    </Page>
  );
}
