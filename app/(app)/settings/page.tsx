import { getTranslations } from "next-intl/server";
import { SessionsPanel } from "@/components/settings/sessions-panel";
import { PreferencesPanel } from "@/components/settings/preferences-panel";
import { Page } from "@/components/ui/form";
import { UsersPanel } from "@/components/settings/users-panel";
import { InvitationsPanel } from "@/components/settings/invitations-panel";
import { ApiTokensPanel } from "@/components/settings/api-tokens-panel";
import { TotpPanel } from "@/components/settings/totp-panel";
import { TotpPolicyPanel } from "@/components/settings/totp-policy-panel";
import { GroupsPanel } from "@/components/settings/groups-panel";
import { RolesPanel } from "@/components/settings/roles-panel";
import { AccessPanel } from "@/components/settings/access-panel";

export default async function SettingsPage() {
  const t = await getTranslations("settings");
  return (
    <Page title={t("title")}>
      <div className="flex flex-col gap-4">
        <PreferencesPanel />
        <SessionsPanel />
        <TotpPanel />
        <ApiTokensPanel />
        <UsersPanel />
        <GroupsPanel />
        <RolesPanel />
        <AccessPanel />
        <InvitationsPanel />
        <TotpPolicyPanel />
      </div>
    </Page>
  );
}
