// TOTP codes computed the way an authenticator app would (otpauth), for tests.
import { Secret, TOTP } from "otpauth";

const PERIOD_MS = 30_000;

export function codeAt(secret: string, step: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp: step * PERIOD_MS });
}

/**
 * A code the server accepts now and has not seen: for a time-step newer than `last.step`
 * that is the current one or the next (the server allows ±1 step). Both are still inside
 * the window when the request arrives a moment later. When both are used up it waits for
 * the clock to reach a new step: the replay guard is exactly what makes that necessary.
 */
export async function freshCode(secret: string, last: { step: number | null }): Promise<string> {
  for (;;) {
    const cur = Math.floor(Date.now() / PERIOD_MS);
    for (const s of [cur, cur + 1]) {
      if (last.step === null || s > last.step) {
        last.step = s;
        return codeAt(secret, s);
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** A well-formed code that is none of the steps the server would accept now. */
export function wrongCode(secret: string): string {
  const cur = Math.floor(Date.now() / PERIOD_MS);
  const near = new Set([cur - 2, cur - 1, cur, cur + 1, cur + 2].map((s) => codeAt(secret, s)));
  for (let i = 0; ; i++) {
    const c = String((123456 + i * 7919) % 1_000_000).padStart(6, "0");
    if (!near.has(c)) return c;
  }
}
