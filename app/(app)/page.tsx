import { Page } from "@/components/ui/form";
import { DashboardView } from "@/components/dashboard/dashboard-view";

export default function DashboardPage() {
  return (
    <Page title="Dashboard">
      <DashboardView />
    </Page>
  );
}
