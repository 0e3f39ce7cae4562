import { AuthCard } from "../ui/form";

const TEXT: Record<string, { title: string; body: string }> = {
  unknown: { title: "Link not valid", body: "This link is not one Hangar issued. Check that it was copied whole, or ask an admin for a new one." },
  used: { title: "Link already used", body: "This one-time link has been used. Ask an admin for a new one if you still need it." },
  expired: { title: "Link expired", body: "This link has expired. Ask an admin for a new one." },
  revoked: { title: "Link revoked", body: "An admin revoked this link. Ask them for a new one." },
};

/** What /invite and /reset show for a link that cannot be used (the API answers 404 or 410). */
export function LinkRefused({ state }: { state: string }) {
  const t = TEXT[state] ?? TEXT.unknown!;
  return (
    <AuthCard title={t.title}>
      <p className="mb-4 text-sm" data-testid="link-state" data-state={state}>
        {t.body}
      </p>
      <a href="/login" className="text-sm font-medium text-sky-700 underline dark:text-sky-400">
        Go to sign-in
      </a>
    </AuthCard>
  );
}
