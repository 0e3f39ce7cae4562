import { AlertsView } from "@/components/alerts/alerts-view";
import { Page } from "@/components/ui/form";

export default function AlertsPage() {
  return (
    <Page title="Alerts">
      <AlertsView />
    </Page>
  );
}
