import { EmptyState } from "@/components/ui/form";

export default function ContainersPage() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Containers</h1>
      <EmptyState title="Nothing here yet">No containers: enroll a host with a container engine.</EmptyState>
    </div>
  );
}
