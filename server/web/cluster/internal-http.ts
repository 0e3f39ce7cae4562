// Answers of the internal HTTP routes that carry streams between servers (uploads, exec
// resizes): the API's error shape, so the peer can answer its browser with it as it came.
import type { ServerResponse } from "node:http";
import type { IncomingMessage } from "node:http";
import { agentError } from "../http/agent-errors";
import { ApiError, errorBody, isApiError } from "../http/errors";

export function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function fail(res: ServerResponse, thrown: unknown): void {
  const err = agentError(thrown);
  if (isApiError(err)) return answer(res, err.status, errorBody(err), err.headers);
  console.error("[cluster] internal request failed:", err);
  answer(res, 500, errorBody(new ApiError("internal", "The request failed on the server holding the host")));
}

/** A small JSON body (a resize: a few dozen bytes); a larger one is refused unread. */
export async function smallJson(req: IncomingMessage, max = 1024): Promise<unknown> {
  let text = "";
  for await (const chunk of req as AsyncIterable<Buffer>) {
    text += chunk.toString("utf8");
    if (text.length > max) throw new ApiError("payload_too_large", `At most ${max} bytes`, { body: `at most ${max} bytes` });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "Body is not valid JSON", { body: "not valid JSON" });
  }
}
