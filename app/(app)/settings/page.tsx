import { SessionsPanel } from "@/components/settings/sessions-panel";
import { Page } from "@/components/ui/form";

export default function SettingsPage() {
  return (
    <Page title="Settings">
      <SessionsPanel />
    </Page>
  );
}
