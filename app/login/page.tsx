import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { services } from "@/server/web/services";
import { setupNeeded } from "@/server/web/services/sessions";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await setupNeeded(services())) redirect("/setup");
  const { next } = await searchParams;
  return <LoginForm next={typeof next === "string" ? next : "/"} />;
}
