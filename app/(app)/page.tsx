import { EmptyState, Page } from "@/components/ui/form";

export default function DashboardPage() {
  return (
    <Page title="Dashboard">
      <EmptyState title="Fleet overview coming soon">Hosts, machines and tasks are live on their pages; fleet totals and charts arrive with the metrics work.</EmptyState>
    </Page>
  );
}
