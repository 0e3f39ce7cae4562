import { redirect } from "next/navigation";
import { EnrolTotpPage } from "@/components/auth/enrol-totp";
import { services } from "@/server/web/services";
import { requireEnrolmentSession } from "@/server/web/http/page-session";

export const dynamic = "force-dynamic";

// Where the TOTP policy sends a signed-in user who has no second factor yet; nothing else
// is open to them until they finish here.
export default async function EnrolTotp() {
  const { user } = await requireEnrolmentSession();
  if (!services().totp.mustEnrol(user)) redirect("/");
  return <EnrolTotpPage username={user.username} />;
}
