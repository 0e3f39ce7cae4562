import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth/setup-form";
import { AuthCard } from "@/components/ui/form";
import { services } from "@/server/web/services";
import { setupNeeded } from "@/server/web/services/sessions";

export const dynamic = "force-dynamic";

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const svc = services();
  // Once an admin exists, setup is closed for good.
  if (!(await setupNeeded(svc))) redirect("/login");
  const { token } = await searchParams;
  if (typeof token !== "string" || !svc.setup.check(token)) {
    return (
      <AuthCard title="Setup link needed">
        <p className="text-sm">
          Open the one-time setup URL that the Hangar server printed to its console when it started. Links expire after an hour and work once; restart
          the server for a new one.
        </p>
      </AuthCard>
    );
  }
  return <SetupForm token={token} />;
}
