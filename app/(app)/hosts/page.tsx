import { EmptyState } from "@/components/ui/form";

export default function HostsPage() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Hosts</h1>
      <EmptyState title="Nothing here yet">No hosts enrolled yet. Adding hosts arrives with the host agent.</EmptyState>
    </div>
  );
}
