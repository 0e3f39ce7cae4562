/** The command an admin copies onto a new host: fetch the agent bundle, enroll, run. */
export function enrollCommand(origin: string, token: string): string {
  const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  return [
    `curl -fsSL ${q(`${origin}/api/agent/download`)} -o /usr/local/lib/hangar-agent.mjs`,
    // `--flag=value`: a token may start with "-", which `--flag value` would take for an option.
    `node /usr/local/lib/hangar-agent.mjs --server=${q(origin)} --enroll=${q(token)}`,
  ].join(" && ");
}

export function requestOrigin(req: Request, fallback: string): string {
  const host = req.headers.get("host");
  return host ? `${new URL(req.url).protocol}//${host}` : fallback;
}
