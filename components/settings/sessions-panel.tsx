"use client";
import { useTranslations } from "next-intl";
import { useFormat } from "../i18n/format";
import { useRevokeSession, useSessions } from "../lib/queries";
import { Button } from "../ui/form";

/** The browser and its major version, or null when the client sent no user agent. */
function describeAgent(ua: string): string | null {
  if (!ua) return null;
  const browser = /Chrome\/[\d]+/.exec(ua)?.[0] ?? /Firefox\/[\d]+/.exec(ua)?.[0] ?? /Safari\/[\d]+/.exec(ua)?.[0] ?? ua.slice(0, 40);
  return browser.replace("/", " ");
}

export function SessionsPanel() {
  const t = useTranslations("settings.sessions");
  const tc = useTranslations("common");
  const f = useFormat();
  const { data, isPending } = useSessions();
  const revoke = useRevokeSession();
  return (
    <section aria-labelledby="sessions-h" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="sessions-h" className="mb-3 text-lg font-medium">
        {t("title")}
      </h2>
      {isPending ? (
        <p className="text-sm text-slate-500">{tc("loading")}</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-2">{t("client")}</th>
              <th>{t("address")}</th>
              <th>{t("signedIn")}</th>
              <th>{t("lastActive")}</th>
              <th className="sr-only">{t("actions")}</th>
            </tr>
          </thead>
          <tbody>
            {data?.sessions.map((s) => (
              <tr key={s.id} data-testid="session-row" className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-2">
                  {describeAgent(s.userAgent) ?? t("unknownClient")}{" "}
                  {s.current && <span className="ml-2 rounded bg-sky-100 px-1.5 text-xs text-sky-900">{t("thisBrowser")}</span>}
                </td>
                <td>{s.ip}</td>
                <td>{f.date(s.createdAt)}</td>
                <td>{f.date(s.lastSeenAt)}</td>
                <td className="text-right">
                  {!s.current && (
                    <Button
                      variant="danger"
                      onClick={() => revoke.mutate(s.id)}
                      disabled={revoke.isPending}
                      aria-label={t("revokeFrom", { ip: s.ip })}
                    >
                      {t("revoke")}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
