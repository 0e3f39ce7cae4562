// An agent's refusal, as the HTTP error a browser understands (the agent's own message kept).
// The route wrapper applies this to whatever a handler throws, so handlers just call agents.
import { isAgentCallError } from "../agents/agent-connection";
import type { RpcError } from "../../protocol";
import { ApiError, type ErrorCode } from "./errors";

export const AGENT_ERROR_STATUS: Partial<Record<RpcError["code"], ErrorCode>> = {
  offline: "unavailable",
  timeout: "unavailable",
  libvirt_unavailable: "unavailable",
  engine_unavailable: "unavailable",
  not_found: "not_found",
  invalid_state: "conflict",
  conflict: "conflict",
  invalid_input: "invalid",
  invalid_message: "bad_request",
};

export function agentError(err: unknown): unknown {
  if (!isAgentCallError(err)) return err;
  return new ApiError(AGENT_ERROR_STATUS[err.code] ?? "internal", err.message);
}
