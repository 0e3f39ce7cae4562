import { EmptyState } from "@/components/ui/form";

export default function TasksPage() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Tasks</h1>
      <EmptyState title="Nothing here yet">No tasks yet: actions you start appear here with their progress.</EmptyState>
    </div>
  );
}
