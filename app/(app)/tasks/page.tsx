import { getTranslations } from "next-intl/server";
import { TasksTable } from "@/components/tasks/tasks-table";
import { Page } from "@/components/ui/form";

export default async function TasksPage() {
  const t = await getTranslations("tasks");
  return (
    <Page title={t("title")}>
      <TasksTable />
    </Page>
  );
}
