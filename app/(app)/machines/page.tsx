import { MachinesTable } from "@/components/machines/machines-table";
import { HostHealthBanner } from "@/components/machines/host-health-banner";
import { NewVmButton } from "@/components/machines/create-vm/new-vm-button";

export default function MachinesPage() {
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Machines</h1>
        <NewVmButton />
      </div>
      <HostHealthBanner />
      <MachinesTable />
    </div>
  );
}
