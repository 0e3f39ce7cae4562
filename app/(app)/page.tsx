import { EmptyState } from "@/components/ui/form";

export default function DashboardPage() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Dashboard</h1>
      <EmptyState title="No hosts yet">Add a host on the Hosts page to see its machines, containers and metrics here.</EmptyState>
    </div>
  );
}
