// The OpenID Connect relying party (issue 14 point 6): authorization code flow with PKCE,
// through openid-client, which checks the ID token's signature (provider's JWKS), issuer,
// audience, expiry and nonce. This file speaks to the provider only; what a verified
// identity becomes in Hangar (account, groups, session) is services/oidc.ts.
//
// The flow's secrets (state, nonce, PKCE verifier) stay here, in memory, under a random
// handle the browser holds in a cookie: the callback's query is compared with what this
// browser started, never trusted alone. A handle is single-use and lives FLOW_MS.
import * as oidc from "openid-client";
import type { OidcConfig } from "../config";
import { randomToken } from "./tokens";

export const OIDC_FLOW_SECONDS = 10 * 60;
const FLOW_MS = OIDC_FLOW_SECONDS * 1000;
// Flows opened and never finished (a closed tab) are dropped oldest first past this many.
const MAX_FLOWS = 2000;
// A failed discovery is retried at the next sign-in, but not more often than this.
const DISCOVERY_RETRY_MS = 5_000;

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  /** Same-origin path to land on after sign-in. */
  next: string;
  expiresAt: number;
}

/** A verified sign-in: the ID token's claims, completed from userinfo when it lacks some. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  preferredUsername: string | null;
  groups: string[];
  next: string;
}

/** Why a callback was refused; the sign-in page shows a fixed message for each. */
export type OidcRefusal = "state" | "nonce" | "provider" | "token" | "unavailable";

// OidcService runs in the custom server's bundle and the verbs catching its errors in Next's
// (server/web/services.ts), so the class exists twice: recognise it by a global brand.
const BRAND = Symbol.for("hangar.OidcError");

export function isOidcError(e: unknown): e is OidcError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

export class OidcError extends Error {
  readonly [BRAND] = true;
  constructor(
    readonly reason: OidcRefusal,
    message: string,
  ) {
    super(message);
  }
}

export class OidcService {
  private readonly flows = new Map<string, Flow>();
  private discovered: Promise<oidc.Configuration> | null = null;
  private failedAt = 0;
  readonly redirectUri: string;

  constructor(
    readonly config: OidcConfig,
    baseUrl: string,
    private readonly now: () => number = Date.now,
  ) {
    this.redirectUri = new URL("/api/auth/oidc/callback", baseUrl).href;
  }

  get label(): string {
    return this.config.label;
  }

  /** Opens a flow: the handle for the browser's cookie and the provider URL to send it to. */
  async start(next: string): Promise<{ handle: string; url: URL }> {
    const cfg = await this.provider();
    const flow: Flow = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      next,
      expiresAt: this.now() + FLOW_MS,
    };
    const url = oidc.buildAuthorizationUrl(cfg, {
      redirect_uri: this.redirectUri,
      response_type: "code",
      scope: this.config.scopes,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: "S256",
    });
    const handle = randomToken();
    this.keep(handle, flow);
    return { handle, url };
  }

  /**
   * Finishes the flow the browser's cookie names with the provider's answer (the callback's
   * query string). The flow is consumed whatever the outcome: a second try needs a new start.
   */
  async finish(handle: string | undefined, search: URLSearchParams): Promise<OidcIdentity> {
    const flow = handle ? this.flows.get(handle) : undefined;
    if (handle) this.flows.delete(handle);
    if (!flow || flow.expiresAt <= this.now()) throw new OidcError("state", "no sign-in was started in this browser, or it expired");
    if (search.get("state") !== flow.state) throw new OidcError("state", "the state returned does not match the sign-in this browser started");
    const error = search.get("error");
    if (error)
      throw new OidcError(
        "provider",
        `the provider refused: ${error}${search.get("error_description") ? ` (${search.get("error_description")})` : ""}`,
      );
    const cfg = await this.provider();
    // The redirect URI the provider saw, with the answer's parameters: openid-client takes
    // the redirect_uri for the token request from it.
    const current = new URL(this.redirectUri);
    current.search = search.toString();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(cfg, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw refusal(err);
    }
    const claims = tokens.claims();
    if (!claims) throw new OidcError("token", "the provider sent no ID token");
    let merged: Record<string, unknown> = { ...claims };
    const claim = this.config.groupsClaim;
    // Many providers put groups and profile claims in userinfo only, not in the ID token.
    if ((!(claim in claims) || !claims.preferred_username) && tokens.access_token && cfg.serverMetadata().userinfo_endpoint) {
      try {
        const info = await oidc.fetchUserInfo(cfg, tokens.access_token, claims.sub);
        merged = { ...info, ...claims };
        if (!(claim in claims) && claim in info) merged[claim] = info[claim];
      } catch (err) {
        throw refusal(err);
      }
    }
    return {
      issuer: claims.iss,
      subject: claims.sub,
      preferredUsername: typeof merged.preferred_username === "string" ? merged.preferred_username : null,
      groups: groupList(merged[claim]),
      next: flow.next,
    };
  }

  /** The provider's metadata (discovery), fetched once and kept; retried after a failure. */
  private provider(): Promise<oidc.Configuration> {
    if (!this.discovered) {
      if (this.now() - this.failedAt < DISCOVERY_RETRY_MS) throw new OidcError("unavailable", "the identity provider did not answer");
      const { issuer, clientId, clientSecret } = this.config;
      const auth = clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None();
      // http:// issuers pass config validation only on loopback (config.ts).
      const insecure = issuer.protocol === "http:" ? { execute: [oidc.allowInsecureRequests] } : undefined;
      this.discovered = oidc.discovery(issuer, clientId, undefined, auth, { ...insecure, timeout: 10 }).catch((err: unknown) => {
        this.discovered = null;
        this.failedAt = this.now();
        console.error("[oidc] discovery failed:", (err as Error).message);
        throw new OidcError("unavailable", "the identity provider did not answer");
      });
    }
    return this.discovered;
  }

  private keep(handle: string, flow: Flow): void {
    if (this.flows.size >= MAX_FLOWS) {
      const now = this.now();
      for (const [k, f] of this.flows) if (f.expiresAt <= now) this.flows.delete(k);
      if (this.flows.size >= MAX_FLOWS) this.flows.delete(this.flows.keys().next().value!);
    }
    this.flows.set(handle, flow);
  }
}

/** A claim holding groups: a list of strings, or one string (some providers send that). */
function groupList(v: unknown): string[] {
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? v.filter((g): g is string => typeof g === "string") : [];
}

/** openid-client's error, as the reason shown and audited; the nonce check is told apart. */
function refusal(err: unknown): OidcError {
  if (err instanceof oidc.AuthorizationResponseError) return new OidcError("provider", `the provider refused: ${err.error}`);
  if (err instanceof oidc.ResponseBodyError) return new OidcError("provider", `the provider refused the code: ${err.error}`);
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { claim?: unknown }).claim === "nonce") return new OidcError("nonce", "the ID token's nonce does not match this sign-in");
  }
  const code = (err as { code?: unknown }).code;
  return new OidcError(
    "token",
    `the provider's answer failed verification: ${(err as Error).message}${typeof code === "string" ? ` (${code})` : ""}`,
  );
}
