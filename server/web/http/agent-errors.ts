// An agent's refusal, as the HTTP error a browser understands (the agent's own message kept).
import { isAgentCallError } from "../agents/agent-connection";
import { ApiError, type ErrorCode } from "./errors";

const MAP: Record<string, ErrorCode> = {
  offline: "unavailable",
  timeout: "unavailable",
  libvirt_unavailable: "unavailable",
  not_found: "not_found",
  invalid_state: "conflict",
  invalid_message: "bad_request",
};

export function agentError(err: unknown): unknown {
  if (!isAgentCallError(err)) return err;
  return new ApiError(MAP[err.code] ?? "internal", err.message);
}
