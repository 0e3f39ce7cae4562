// An agent's refusal, as the HTTP error a browser understands (the agent's own message kept).
// The route wrapper applies this to whatever a handler throws, so handlers just call agents.
import { isAgentCallError } from "../agents/agent-connection";
import type { RpcError } from "../../protocol";
import { ApiError, isApiError, type ErrorCode } from "./errors";

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

const FIELD_PREFIX = /^([A-Za-z][\w.[\]]*): (.+)$/s;

/**
 * Agents start a refusal caused by one input with "<field>: " ("memoryMiB: the host has
 * 100 MiB"): the HTTP error then names that field in `fields`, as zod's refusals do, keeping
 * the fields it had (the task id). `accept` limits which prefixes are fields of the request
 * (others stay a plain message), `rename` maps an agent parameter to the request's field,
 * `strip` drops the prefix from the message, `whole` puts the whole message under the field
 * rather than the reason after the prefix.
 */
export function refusalField(
  err: unknown,
  o: { accept?: (field: string) => boolean; rename?: (field: string) => string; strip?: boolean; whole?: boolean } = {},
): unknown {
  if (!isApiError(err)) return err;
  const m = FIELD_PREFIX.exec(err.message);
  if (!m || (o.accept && !o.accept(m[1]!))) return err;
  const field = o.rename ? o.rename(m[1]!) : m[1]!;
  return new ApiError(err.code, o.strip ? m[2]! : err.message, { ...err.fields, [field]: o.whole ? err.message : m[2]! }, err.headers);
}
