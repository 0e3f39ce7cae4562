// OIDC settings and the pure parts of an OIDC sign-in: what the environment may say, how a
// provider's preferred_username becomes a valid Hangar username, where the browser may land.
import { describe, expect, it } from "vitest";
import { loadConfig, parseGroupMap } from "../config";
import { safeNext, usernameBase } from "../services/oidc";

const base = { HANGAR_OIDC_ISSUER: "https://id.example.com/realms/x", HANGAR_OIDC_CLIENT_ID: "hangar" };

describe("OIDC configuration", () => {
  it("is off without an issuer and fills defaults with one", () => {
    expect(loadConfig({}).oidc).toBeNull();
    const c = loadConfig(base).oidc!;
    expect(c.issuer.href).toBe("https://id.example.com/realms/x");
    expect(c).toMatchObject({
      clientId: "hangar",
      clientSecret: null,
      groupsClaim: "groups",
      label: "single sign-on",
      scopes: "openid profile groups",
    });
    expect(loadConfig({ ...base, HANGAR_OIDC_SCOPES: "profile email" }).oidc!.scopes).toBe("openid profile email");
  });

  it("refuses plain HTTP off loopback and a missing client id, naming the variable", () => {
    expect(() => loadConfig({ ...base, HANGAR_OIDC_ISSUER: "http://id.example.com" })).toThrow(/HANGAR_OIDC_ISSUER: must be https/);
    expect(loadConfig({ ...base, HANGAR_OIDC_ISSUER: "http://127.0.0.1:9000" }).oidc!.issuer.port).toBe("9000");
    expect(() => loadConfig({ HANGAR_OIDC_ISSUER: base.HANGAR_OIDC_ISSUER })).toThrow(/HANGAR_OIDC_CLIENT_ID: required/);
  });

  it("parses the group map and refuses a malformed or ambiguous one", () => {
    expect([...parseGroupMap(" ops = Operators ,view=Viewers,")]).toEqual([
      ["ops", "Operators"],
      ["view", "Viewers"],
    ]);
    expect(parseGroupMap("").size).toBe(0);
    expect(() => parseGroupMap("ops")).toThrow(/"ops" is not claimValue=groupName/);
    expect(() => parseGroupMap("=x")).toThrow(/not claimValue=groupName/);
    expect(() => parseGroupMap("a=x,a=y")).toThrow(/claim value "a" is mapped twice/);
    expect(() => parseGroupMap("a=x,b=x")).toThrow(/group "x" is mapped twice/);
  });
});

describe("OIDC sign-in helpers", () => {
  it("makes a valid username from preferred_username, or from the subject", () => {
    expect(usernameBase("alice", "s1")).toBe("alice");
    expect(usernameBase("Carol Smith", "s1")).toBe("Carol-Smith");
    expect(usernameBase("józef@example.com", "s1")).toBe("jozef-example.com");
    expect(usernameBase("--x", "s1")).toBe("oidc-s1");
    expect(usernameBase("李", "a5f-9c")).toBe("oidc-a5f9c");
    expect(usernameBase(null, "")).toBe("oidc-user");
    expect(usernameBase("a".repeat(100), "s").length).toBe(56);
  });

  it("lands only on a path of this origin", () => {
    expect(safeNext("/machines?x=1")).toBe("/machines?x=1");
    for (const bad of [undefined, "", "https://evil.example", "//evil.example", "/\\evil.example", "machines"]) expect(safeNext(bad)).toBe("/");
  });
});
