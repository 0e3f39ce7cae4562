// Exchanges a one-time enrollment token for the host credential and keeps it in the state
// folder (mode 0600), so the agent restarts without the token.
import fs from "node:fs";
import path from "node:path";
import { EnrollResponse, type HostFacts } from "../protocol";

const FILE = "credential.json";

export function loadCredential(stateDir: string): { credential: string; serverUrl: string } | null {
  try {
    const data = JSON.parse(fs.readFileSync(path.join(stateDir, FILE), "utf8")) as { credential?: string; serverUrl?: string };
    return data.credential && data.serverUrl ? { credential: data.credential, serverUrl: data.serverUrl } : null;
  } catch {
    return null;
  }
}

/**
 * Enrolls at the first server that answers: enrollment tokens and credentials are rows of
 * the shared database, so any replica accepts them. A refusal is final; only a server
 * that cannot be reached moves on to the next address.
 */
export async function enroll(serverUrls: readonly string[], token: string, facts: HostFacts, stateDir: string): Promise<string> {
  let res: Response | null = null;
  let serverUrl = serverUrls[0]!;
  for (const url of serverUrls) {
    serverUrl = url;
    try {
      res = await fetch(new URL("/api/agent/enroll", url), {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Hangar-CSRF": "1" },
        body: JSON.stringify({ token, facts }),
      });
      break;
    } catch (err) {
      console.log(`[agent] enrollment: ${url} unreachable (${(err as Error).message})`);
    }
  }
  if (!res) throw new Error(`enrollment failed: no server reachable (${serverUrls.join(", ")})`);
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const msg = (body as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`;
    throw new Error(`enrollment refused: ${msg}`);
  }
  const parsed = EnrollResponse.parse(body);
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ credential: parsed.credential, serverUrl, hostId: parsed.hostId, name: parsed.name }), {
    mode: 0o600,
  });
  fs.renameSync(`${file}.tmp`, file);
  return parsed.credential;
}
