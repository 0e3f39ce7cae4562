import { MachinesTable } from "@/components/machines/machines-table";
import { Page } from "@/components/ui/form";

export default function MachinesPage() {
  return (
    <Page title="Machines">
      <MachinesTable />
    </Page>
  );
}
