import { describe, expect, it } from "vitest";
import { Secret, TOTP } from "otpauth";
import { acceptCode, newRecoveryCodes, newTotpSecret, recoveryHash } from "./totp";

const code = (secret: string, t: number) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: t });

describe("acceptCode (RFC 6238 through otpauth)", () => {
  const secret = newTotpSecret();
  const now = 1_800_000_000_000; // a fixed instant: step 60,000,000
  const step = Math.floor(now / 30_000);

  it("accepts the current step and one either side, and answers which step it was", () => {
    expect(acceptCode(secret, code(secret, now), null, now)).toBe(step);
    expect(acceptCode(secret, code(secret, now - 30_000), null, now)).toBe(step - 1);
    expect(acceptCode(secret, code(secret, now + 30_000), null, now)).toBe(step + 1);
    expect(acceptCode(secret, code(secret, now - 60_000), null, now)).toBeNull();
    expect(acceptCode(secret, "12345", null, now)).toBeNull();
    expect(acceptCode(secret, "abcdef", null, now)).toBeNull();
  });

  it("refuses a code whose step is not newer than the last one used (replay)", () => {
    expect(acceptCode(secret, code(secret, now), step, now)).toBeNull();
    expect(acceptCode(secret, code(secret, now - 30_000), step, now)).toBeNull();
    expect(acceptCode(secret, code(secret, now + 30_000), step, now)).toBe(step + 1);
  });
});

describe("recovery codes", () => {
  it("are ten distinct codes whose hash ignores case, spaces and dashes", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(recoveryHash(codes[0]!.toUpperCase().replace(/-/g, " "))).toBe(recoveryHash(codes[0]!));
    expect(recoveryHash(codes[0]!)).not.toBe(recoveryHash(codes[1]!));
  });
});
