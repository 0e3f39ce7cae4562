// The one-line enrollment command an admin pastes on a host: what the shell hands the agent
// must parse back to the same server and token, whatever characters the token holds
// (tokens are base64url, so about one in 64 starts with "-").
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { enrollCommand } from "../server/web/agents/enroll-command";
import { loadAgentConfig } from "../server/agent/config";

/** The agent's argv exactly as bash would pass it, from the command's `node … .mjs` part. */
function agentArgv(command: string): string[] {
  const args = command.split("hangar-agent.mjs ").pop()!;
  return execFileSync("bash", ["-c", `printf '%s\\0' ${args}`], { encoding: "utf8" })
    .split("\0")
    .slice(0, -1);
}

describe("enrollment command", () => {
  it.each(["-starts-with-a-dash_Xy", "plain_Token-123", "--double"])("hands the agent token %s unchanged", (token) => {
    const origin = "https://hangar.example.com:8443";
    const cfg = loadAgentConfig(agentArgv(enrollCommand(origin, token)), { HANGAR_AGENT_ENV_FILE: "/nonexistent" });
    expect(cfg.enrollToken).toBe(token);
    expect(cfg.serverUrl).toBe(origin);
  });
});
