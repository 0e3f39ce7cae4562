import { AccountLinkForm } from "@/components/auth/account-link-form";
import { LinkRefused } from "@/components/auth/link-refused";
import { services } from "@/server/web/services";
import { linkStatus } from "@/server/web/services/account-links";

export const dynamic = "force-dynamic";

// Outside the app shell: whoever resets a password may have no session.
export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const status = await linkStatus(services(), "reset", token);
  if (status.state !== "valid") return <LinkRefused state={status.state} />;
  return <AccountLinkForm kind="reset" token={token} username={status.username} />;
}
