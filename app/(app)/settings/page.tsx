import { SessionsPanel } from "@/components/settings/sessions-panel";
import { Page } from "@/components/ui/form";
import { UsersPanel } from "@/components/settings/users-panel";
import { InvitationsPanel } from "@/components/settings/invitations-panel";

export default function SettingsPage() {
  return (
    <Page title="Settings">
      <div className="flex flex-col gap-4">
        <SessionsPanel />
        <UsersPanel />
        <InvitationsPanel />
      </div>
    </Page>
  );
}
