import { EmptyState } from "@/components/ui/form";

export default function MachinesPage() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Machines</h1>
      <EmptyState title="Nothing here yet">No machines: enroll a host to list its VMs.</EmptyState>
    </div>
  );
}
