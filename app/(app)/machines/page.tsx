import { MachinesTable } from "@/components/machines/machines-table";

export default function MachinesPage() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Machines</h1>
      <MachinesTable />
    </div>
  );
}
