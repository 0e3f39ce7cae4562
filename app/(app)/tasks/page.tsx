import { TasksTable } from "@/components/tasks/tasks-table";

export default function TasksPage() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Tasks</h1>
      <TasksTable />
    </div>
  );
}
