import { TasksTable } from "@/components/tasks/tasks-table";
import { Page } from "@/components/ui/form";

export default function TasksPage() {
  return (
    <Page title="Tasks">
      <TasksTable />
    </Page>
  );
}
