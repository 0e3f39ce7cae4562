import { describe, expect, it } from "vitest";
import { bearerValue, effectivePermissions, isTokenShaped, newTokenValue, tokenHint } from "./api-tokens";
import { AccessService } from "./access";

describe("API token helpers", () => {
  it("reads only the Bearer scheme: a proxy's Basic auth falls back to the cookie", () => {
    expect(bearerValue(null)).toBeNull();
    expect(bearerValue("Basic dXNlcjpwdw==")).toBeNull();
    expect(bearerValue("Bearer hgr_abc")).toBe("hgr_abc");
    expect(bearerValue("bearer   hgr_abc ")).toBe("hgr_abc");
    // Bearer with nothing usable is still a bearer request (refused), not a cookie one.
    expect(bearerValue("Bearer")).toBe("");
    expect(bearerValue("Bearer a b")).toBe("");
  });

  it("makes hgr_ values with a short hint", () => {
    const v = newTokenValue();
    expect(v).toMatch(/^hgr_[A-Za-z0-9_-]{43}$/);
    expect(isTokenShaped(v)).toBe(true);
    expect(isTokenShaped("x".repeat(20))).toBe(false);
    expect(tokenHint(v)).toBe(v.slice(0, 8));
  });

  it("cuts a token's permissions to what its owner's role holds now", () => {
    // No assignments loaded: each owner holds just their fleet-wide role.
    const access = new AccessService(null as never);
    const t = { permissionsJson: JSON.stringify(["vm.read", "vm.power", "audit.read", "bogus"]) };
    expect(effectivePermissions(access, { id: "u-admin", role: "admin" }, t)).toEqual(["vm.read", "vm.power", "audit.read"]);
    expect(effectivePermissions(access, { id: "u-operator", role: "operator" }, t)).toEqual(["vm.read", "vm.power"]);
    expect(effectivePermissions(access, { id: "u-viewer", role: "viewer" }, t)).toEqual(["vm.read"]);
    expect(effectivePermissions(access, { id: "u-viewer", role: "viewer" }, { permissionsJson: "not json" })).toEqual([]);
  });
});
