import { MachinesTable } from "@/components/machines/machines-table";
import { HostHealthBanner } from "@/components/machines/host-health-banner";
import { Page } from "@/components/ui/form";

export default function MachinesPage() {
  return (
    <Page title="Machines">
      <HostHealthBanner />
      <MachinesTable />
    </Page>
  );
}
