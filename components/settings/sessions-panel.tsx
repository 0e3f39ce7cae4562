"use client";
import { useRevokeSession, useSessions } from "../lib/queries";
import { Button } from "../ui/form";

function describeAgent(ua: string): string {
  if (!ua) return "Unknown client";
  const browser = /Chrome\/[\d]+/.exec(ua)?.[0] ?? /Firefox\/[\d]+/.exec(ua)?.[0] ?? /Safari\/[\d]+/.exec(ua)?.[0] ?? ua.slice(0, 40);
  return browser.replace("/", " ");
}

export function SessionsPanel() {
  const { data, isPending } = useSessions();
  const revoke = useRevokeSession();
  return (
    <section aria-labelledby="sessions-h" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="sessions-h" className="mb-3 text-lg font-medium">
        Your sessions
      </h2>
      {isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-2">Client</th>
              <th>Address</th>
              <th>Signed in</th>
              <th>Last active</th>
              <th className="sr-only">Actions</th>
            </tr>
          </thead>
          <tbody>
            {data?.sessions.map((s) => (
              <tr key={s.id} data-testid="session-row" className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-2">
                  {describeAgent(s.userAgent)}{" "}
                  {s.current && <span className="ml-2 rounded bg-sky-100 px-1.5 text-xs text-sky-900">this browser</span>}
                </td>
                <td>{s.ip}</td>
                <td>{new Date(s.createdAt).toLocaleString()}</td>
                <td>{new Date(s.lastSeenAt).toLocaleString()}</td>
                <td className="text-right">
                  {!s.current && (
                    <Button
                      variant="danger"
                      onClick={() => revoke.mutate(s.id)}
                      disabled={revoke.isPending}
                      aria-label={`Revoke session from ${s.ip}`}
                    >
                      Revoke
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
