// A real OpenID provider (oidc-provider, a certified implementation) on a loopback port,
// for the OIDC sign-in tests: one confidential client, PKCE required, in-memory storage,
// its own signing key, and accounts whose `groups` claim the tests choose. People sign in
// on its development login page (any password; the login is the account id), in Chromium
// or through `signInAtProvider` below.
import crypto from "node:crypto";
import http from "node:http";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { freePort } from "./server";

export interface OidcAccount {
  preferredUsername: string;
  groups: string[];
}

/** Where the provider will listen and its client: known before Hangar starts (Hangar needs them; the provider needs Hangar's callback). */
export interface ProviderPlan {
  port: number;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Environment for the Hangar server that uses this provider. */
  env: (groupMap: string) => Record<string, string>;
}

export interface TestProvider {
  /** Change or add an account; its next sign-in carries the new claims. */
  accounts: Map<string, OidcAccount>;
  close: () => Promise<void>;
}

export async function planProvider(): Promise<ProviderPlan> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "hangar-test";
  const clientSecret = crypto.randomBytes(24).toString("base64url");
  return {
    port,
    issuer,
    clientId,
    clientSecret,
    env: (groupMap) => ({
      HANGAR_OIDC_ISSUER: issuer,
      HANGAR_OIDC_CLIENT_ID: clientId,
      HANGAR_OIDC_CLIENT_SECRET: clientSecret,
      HANGAR_OIDC_LABEL: "Test IdP",
      HANGAR_OIDC_GROUP_MAP: groupMap,
    }),
  };
}

export async function startOidcProvider(plan: ProviderPlan, redirectUri: string, initial: Record<string, OidcAccount>): Promise<TestProvider> {
  const accounts = new Map(Object.entries(initial));
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-1", use: "sig", alg: "RS256" };
  const provider = new Provider(plan.issuer, {
    clients: [
      {
        client_id: plan.clientId,
        client_secret: plan.clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [crypto.randomBytes(16).toString("hex")] },
    pkce: { required: () => true, methods: ["S256"] },
    claims: { openid: ["sub"], profile: ["preferred_username"], groups: ["groups"] },
    features: { devInteractions: { enabled: true } },
    // Short fixed lifetimes (a test run's worth), instead of the defaults it warns about.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: (_ctx: KoaContextWithOIDC, sub: string) => {
      if (!accounts.has(sub)) return undefined;
      return {
        accountId: sub,
        claims: () => {
          const a = accounts.get(sub)!;
          return { sub, preferred_username: a.preferredUsername, groups: a.groups };
        },
      };
    },
    // A first-party client: no consent screen, every scope it asks for is granted.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId || !ctx.oidc.client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
      grant.addOIDCScope(String(ctx.oidc.params?.scope ?? "openid"));
      await grant.save();
      return grant;
    },
  });
  // Its start-up warnings (in-memory adapter, development login page) are what a test wants.
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(plan.port, "127.0.0.1", resolve));
  return {
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies per origin, enough for the provider's and Hangar's. */
export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  header(url: string): string {
    return [...(this.jars.get(new URL(url).origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  take(url: string, res: Response): void {
    const jar = this.jars.get(new URL(url).origin) ?? new Map<string, string>();
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const i = pair!.indexOf("=");
      const gone = attrs.some((a) => a.trim().toLowerCase() === "max-age=0");
      if (gone) jar.delete(pair!.slice(0, i).trim());
      else jar.set(pair!.slice(0, i).trim(), pair!.slice(i + 1).trim());
    }
    this.jars.set(new URL(url).origin, jar);
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie) headers.set("Cookie", cookie);
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    this.take(url, res);
    return res;
  }
}

/**
 * Plays the browser at the provider: follows its redirects from `authUrl`, fills the login
 * form with `login`, and returns the URL the provider sends the browser back to (Hangar's
 * callback with code and state, or with an error).
 */
export async function signInAtProvider(jar: CookieJar, authUrl: string, login: string, callbackPrefix: string): Promise<URL> {
  let url = authUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 20; hop++) {
    const res = await jar.fetch(url, init);
    init = {};
    const location = res.headers.get("location");
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(callbackPrefix)) return next;
      url = next.href;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action || !html.includes('name="login"'))
      throw new Error(`unexpected provider answer ${res.status} at ${url}:\n${html.slice(0, 500)}`);
    url = new URL(action, url).href;
    init = {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ prompt: "login", login, password: "any" }).toString(),
    };
  }
  throw new Error("the provider never sent the browser back");
}
