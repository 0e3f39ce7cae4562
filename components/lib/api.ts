// The browser's only way to call Hangar's REST API: same-origin, JSON, with the CSRF header
// that state-changing routes require, and errors turned into ApiClientError.
export interface ApiErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const method = init.method ?? "GET";
  const headers: Record<string, string> = { Accept: "application/json", ...init.headers };
  if (method !== "GET") headers["X-Hangar-CSRF"] = "1";
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: "same-origin",
  });
  const text = await res.text();
  const data: unknown = text ? safeJson(text) : null;
  if (!res.ok) {
    const e = (data as ApiErrorBody | null)?.error;
    if (res.status === 401 && typeof window !== "undefined" && !path.startsWith("/api/auth/login") && !path.startsWith("/api/setup")) {
      window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
    }
    // The TOTP policy wants a second factor first: every other call is refused until then.
    if (res.status === 403 && e?.fields?.totp && typeof window !== "undefined") window.location.assign("/enrol-totp");
    // i18n-ignore: stands in for the server's error text when it sent none (API errors stay English)
    throw new ApiClientError(res.status, e?.code ?? "http_error", e?.message ?? `Request failed (${res.status})`, e?.fields);
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The message of a failed call, with the field it names when there is one. */
export function errorText(err: unknown): string | null {
  if (!err) return null;
  if (err instanceof ApiClientError) {
    const f = Object.entries(err.fields).filter(([k]) => k !== "task");
    return f.length ? f.map(([k, v]) => `${k}: ${v}`).join("; ") : err.message;
  }
  return (err as Error).message;
}
