import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { checkOrigin } from "./origin";
import { parseCookies, sessionCookie, sessionCookieName } from "./cookies";

describe("origin check", () => {
  const cfg = loadConfig({});
  it("accepts the request's own origin, refuses others, reports absence", () => {
    expect(checkOrigin(cfg, { origin: "http://h:8080", host: "h:8080", forwardedProto: null })).toBe("ok");
    expect(checkOrigin(cfg, { origin: "http://evil:8080", host: "h:8080", forwardedProto: null })).toBe("cross");
    expect(checkOrigin(cfg, { origin: "https://h:8080", host: "h:8080", forwardedProto: "https" })).toBe("cross"); // proxy not trusted
    expect(checkOrigin(cfg, { origin: null, host: "h:8080", forwardedProto: null })).toBe("absent");
  });
  it("uses HANGAR_PUBLIC_URL when set, and trusted proxies' scheme", () => {
    const pub = loadConfig({ HANGAR_PUBLIC_URL: "https://hangar.example.com" });
    expect(checkOrigin(pub, { origin: "https://hangar.example.com", host: "10.0.0.1:8080", forwardedProto: null })).toBe("ok");
    const proxied = loadConfig({ HANGAR_TRUST_PROXY: "1" });
    expect(checkOrigin(proxied, { origin: "https://h", host: "h", forwardedProto: "https" })).toBe("ok");
  });
});

describe("cookies", () => {
  it("uses the __Host- prefix and Secure only behind HTTPS", () => {
    const plain = loadConfig({});
    const secure = loadConfig({ HANGAR_PUBLIC_URL: "https://h.example" });
    expect(sessionCookieName(plain)).toBe("hangar_session");
    expect(sessionCookie(plain, "t")).toBe("hangar_session=t; Path=/; HttpOnly; SameSite=Strict");
    expect(sessionCookie(secure, "t")).toBe("__Host-hangar_session=t; Path=/; HttpOnly; SameSite=Strict; Secure");
  });
  it("parses the first value of each cookie", () => {
    expect(parseCookies("a=1; b=x%20y; a=2").get("a")).toBe("1");
    expect(parseCookies("a=1; b=x%20y").get("b")).toBe("x y");
  });
  it("rejects a malformed environment with the variable's name", () => {
    expect(() => loadConfig({ PORT: "abc" })).toThrow(/PORT/);
  });
});
