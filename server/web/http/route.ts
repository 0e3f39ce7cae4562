// The one wrapper every API route handler goes through: client address, authentication,
// CSRF/Origin check for state-changing methods, permission, zod parsing of params, query
// and body with a size limit, and uniform errors. Handlers receive typed, validated input
// and never see a raw request body. Parsing is strict: schemas are z.strictObject, and a
// route without a query (or body) schema takes none, so an unknown field or parameter is
// a 422 naming it, before anything is done.
import { z } from "zod";
import { describeFields, issueFields } from "../../protocol/issues";
import type { ApiToken, Session, User } from "../db/client";
import { bearerValue, type TokenAuth } from "../auth/api-tokens";
import { authorize, type Permission, type Resource } from "../auth/permissions";
import { services, type Services } from "../services";
import { ApiError, errorBody, isApiError } from "./errors";
import { checkOrigin } from "./origin";
import { agentError } from "./agent-errors";
import { databaseError } from "../db/errors";
import { parseCookies, sessionCookieName } from "./cookies";
import { closing, discard, drainLimit } from "./body";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const CSRF_HEADER = "x-hangar-csrf";
/** Set by the custom server from the socket (or a trusted proxy); never from the client. */
export const CLIENT_IP_HEADER = "x-hangar-client-ip";

type AnyZod = z.ZodType;
type Out<S> = S extends AnyZod ? z.output<S> : undefined;

export interface RouteSpec<P, Q, B> {
  /** "none" for sign-in and setup; everything else needs a live session or an API token. */
  auth?: "user" | "none";
  /**
   * "required": a browser session only, no API token (console tickets bound to the session,
   * sign-out, managing tokens and the second factor: a token must not mint tokens).
   */
  session?: "required";
  /** Open to a user the TOTP policy sends to enrolment first (me, sign-out, enrolment). */
  enrolment?: true;
  permission?: Permission;
  /** The object the permission is checked on, from the parsed params. */
  resource?: (params: Out<P>) => Resource;
  /**
   * "filtered": a list whose handler keeps only the rows the caller may see, so holding the
   * permission on any scope is enough to call it. Without this or `resource`, the permission
   * must be held fleet-wide.
   */
  scope?: "filtered";
  params?: P;
  query?: Q;
  body?: B;
  /** The handler streams the request body itself (image uploads); no JSON is read. */
  rawBody?: true;
}

export interface RouteContext<P, Q, B> {
  req: Request;
  svc: Services;
  ip: string;
  user: User | null;
  session: Session | null;
  /** The API token the request came with (then `session` is null). */
  token: ApiToken | null;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
}

/** A signed-in caller: by session cookie or by API token. */
export interface CallerContext<P, Q, B> extends RouteContext<P, Q, B> {
  user: User;
}

export interface AuthedContext<P, Q, B> extends CallerContext<P, Q, B> {
  session: Session;
  token: null;
}

type NextCtx = { params?: Promise<Record<string, string | string[]>> };

export function route<P extends AnyZod | undefined = undefined, Q extends AnyZod | undefined = undefined, B extends AnyZod | undefined = undefined>(
  spec: RouteSpec<P, Q, B> & { auth: "none" },
  handler: (ctx: RouteContext<P, Q, B>) => Promise<Response>,
): (req: Request, nextCtx: NextCtx) => Promise<Response>;
export function route<P extends AnyZod | undefined = undefined, Q extends AnyZod | undefined = undefined, B extends AnyZod | undefined = undefined>(
  spec: RouteSpec<P, Q, B> & { permission: Permission; session: "required" },
  handler: (ctx: AuthedContext<P, Q, B>) => Promise<Response>,
): (req: Request, nextCtx: NextCtx) => Promise<Response>;
export function route<P extends AnyZod | undefined = undefined, Q extends AnyZod | undefined = undefined, B extends AnyZod | undefined = undefined>(
  spec: RouteSpec<P, Q, B> & { permission: Permission; session?: undefined },
  handler: (ctx: CallerContext<P, Q, B>) => Promise<Response>,
): (req: Request, nextCtx: NextCtx) => Promise<Response>;
export function route<P extends AnyZod | undefined, Q extends AnyZod | undefined, B extends AnyZod | undefined>(
  spec: RouteSpec<P, Q, B>,
  handler: (ctx: AuthedContext<P, Q, B>) => Promise<Response>,
): (req: Request, nextCtx: NextCtx) => Promise<Response> {
  // The spec rides along on the handler, for tests that check every route's schemas.
  return Object.assign(
    async (req: Request, nextCtx: NextCtx) => {
      try {
        const svc = services();
        const ip = req.headers.get(CLIENT_IP_HEADER) ?? "";
        // A bearer request carries no cookie the browser adds by itself, so it cannot be
        // forged cross-site: no CSRF/Origin check. Sign-in and setup keep it regardless.
        const bearer = spec.auth === "none" ? null : bearerValue(req.headers.get("authorization"));
        if (MUTATING.has(req.method) && bearer === null) csrfCheck(svc, req);
        let user: User | null = null;
        let session: Session | null = null;
        let tokenAuth: TokenAuth | null = null;
        const path = new URL(req.url).pathname;
        if (bearer !== null) {
          tokenAuth = await tokenCaller(svc, bearer, ip, path, spec.session === "required");
          user = tokenAuth.user;
        } else if (spec.auth !== "none") {
          const token = parseCookies(req.headers.get("cookie")).get(sessionCookieName(svc.config));
          const valid = await svc.sessions.validate(token);
          if (!valid) throw new ApiError("unauthenticated", "Sign in to continue: no valid session");
          ({ user, session } = valid);
        }
        if (user && !spec.enrolment && svc.totp.mustEnrol(user))
          throw new ApiError("forbidden", "Set up two-factor sign-in first: it is required for your account", { totp: "enrolment required" });
        const params = parse("params", spec.params, nextCtx.params ? await nextCtx.params : {}) as Out<P>;
        if (user && spec.permission && !permitted(svc, user, spec, params)) {
          throw new ApiError("forbidden", `You lack the permission ${spec.permission}`);
        }
        if (tokenAuth && spec.permission && !tokenAuth.permissions.has(spec.permission)) {
          svc.apiTokens.recordFailure({ reason: "forbidden", ip, path, token: tokenAuth.token, user: tokenAuth.user, permission: spec.permission });
          throw new ApiError("forbidden", `This API token lacks the permission ${spec.permission}`);
        }
        const query = parse("query", spec.query ?? NOTHING, Object.fromEntries(new URL(req.url).searchParams)) as Out<Q>;
        const body = (
          spec.rawBody
            ? undefined
            : spec.body
              ? parse("body", spec.body, await readJson(req, svc.config.maxBodyBytes))
              : await noBody(req, svc.config.maxBodyBytes)
        ) as Out<B>;
        return await handler({ req, svc, ip, user: user!, session: session!, token: tokenAuth?.token ?? null, params, query, body } as AuthedContext<
          P,
          Q,
          B
        >);
      } catch (err) {
        return errorResponse(err);
      }
    },
    { spec },
  );
}

function permitted<P>(svc: Services, user: User, spec: RouteSpec<P, unknown, unknown>, params: Out<P>): boolean {
  const p = spec.permission!;
  if (spec.resource) return authorize(svc.access, user, p, spec.resource(params));
  return spec.scope === "filtered" ? svc.access.canSomewhere(user, p) : authorize(svc.access, user, p);
}

/** The caller of a bearer request, or a 401/403. A refused use is audited, without the value. */
async function tokenCaller(svc: Services, value: string, ip: string, path: string, sessionOnly: boolean): Promise<TokenAuth> {
  const r = await svc.apiTokens.authenticate(value, ip);
  if ("refused" in r) {
    svc.apiTokens.recordFailure({ reason: r.refused, ip, path, token: r.token, user: r.user });
    const why =
      r.refused === "expired"
        ? "has expired"
        : r.refused === "revoked"
          ? "was revoked"
          : r.refused === "disabled"
            ? "belongs to a disabled account"
            : "is not valid";
    throw new ApiError("unauthenticated", `This API token ${why}`, undefined, { "WWW-Authenticate": 'Bearer realm="hangar"' });
  }
  if (sessionOnly) {
    svc.apiTokens.recordFailure({ reason: "session-only", ip, path, token: r.token, user: r.user });
    throw new ApiError("forbidden", "This needs a signed-in browser session: API tokens are not accepted here");
  }
  return r;
}

function csrfCheck(svc: Services, req: Request): void {
  const origin = checkOrigin(svc.config, {
    origin: req.headers.get("origin"),
    host: req.headers.get("host"),
    forwardedProto: req.headers.get("x-forwarded-proto"),
  });
  if (origin === "cross") throw new ApiError("forbidden", "Cross-origin request refused (Origin does not match this server)");
  if (req.headers.get(CSRF_HEADER) !== "1") throw new ApiError("forbidden", `Missing ${CSRF_HEADER} header`);
}

/** What a route without a query or body schema accepts: nothing (an empty JSON object at most). */
const NOTHING = z.strictObject({});

function parse(where: "params" | "query" | "body", schema: AnyZod | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const fields = issueFields(r.error, where);
  return fail(new ApiError("invalid", `Invalid ${where}: ${describeFields(fields)}`, fields));
}

/** A body sent to a route that takes none is refused like an unknown field, not ignored. */
async function noBody(req: Request, max: number): Promise<undefined> {
  // Next gives bodiless methods no stream; for the others, an empty stream is no body.
  const reader = req.body?.getReader();
  if (!reader) return undefined;
  const text = await readText(reader, req, max);
  if (text.length) parse("body", NOTHING, parseJson(req, text));
  return undefined;
}

function fail(e: ApiError): never {
  throw e;
}

/** Refuses a body after dropping what is left of it (see drainLimit). */
async function refuseBody(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number, e: ApiError): Promise<never> {
  throw (await discard(reader, budget)) ? e : closing(e);
}

async function readJson(req: Request, max: number): Promise<unknown> {
  const reader = req.body?.getReader();
  if (!reader) throw new ApiError("bad_request", "Request body is missing", { body: "required" });
  return parseJson(req, await readText(reader, req, max));
}

/** The body as text, at most `max` bytes; a refused body is dropped first (see ./body.ts). */
async function readText(reader: ReadableStreamDefaultReader<Uint8Array>, req: Request, max: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  const tooLarge = new ApiError("payload_too_large", `Request body over ${max} bytes`, { body: `at most ${max} bytes` });
  if (declared > drainLimit(max)) throw closing(tooLarge);
  if (declared > max) return refuseBody(reader, drainLimit(max), tooLarge);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) return refuseBody(reader, drainLimit(max) - size, tooLarge);
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(req: Request, text: string): unknown {
  const ct = req.headers.get("content-type") ?? "";
  if (!ct.includes("application/json"))
    throw new ApiError("bad_request", "Body must be JSON (Content-Type: application/json)", { body: "expected JSON" });
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "Body is not valid JSON", { body: "not valid JSON" });
  }
}

export function errorResponse(thrown: unknown): Response {
  const err = databaseError(agentError(thrown));
  if (isApiError(err)) {
    return Response.json(errorBody(err), { status: err.status, headers: err.headers });
  }
  // Log the detail server-side; the browser gets no stack trace.
  const id = Math.random().toString(36).slice(2, 10);
  console.error(`[api] internal error ${id}:`, err);
  return Response.json(errorBody(new ApiError("internal", `Internal error (reference ${id})`)), { status: 500 });
}

export function json(data: unknown, init?: ResponseInit): Response {
  return Response.json(data, init);
}
