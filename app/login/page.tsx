import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { services } from "@/server/web/services";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if ((await services().db.user.count()) === 0) redirect("/setup");
  const { next } = await searchParams;
  return <LoginForm next={typeof next === "string" ? next : "/"} />;
}
