import { AccountLinkForm } from "@/components/auth/account-link-form";
import { LinkRefused } from "@/components/auth/link-refused";
import { services } from "@/server/web/services";
import { linkStatus } from "@/server/web/services/account-links";

export const dynamic = "force-dynamic";

// Outside the app shell: the invitee has no session yet.
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const status = await linkStatus(services(), "invite", token);
  if (status.state !== "valid") return <LinkRefused state={status.state} />;
  return <AccountLinkForm kind="invite" token={token} role={status.role} />;
}
