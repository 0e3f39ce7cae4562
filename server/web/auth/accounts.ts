// First-admin setup and sign-in. Route handlers stay thin and call these.
import { z } from "zod";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import type { Services } from "../services";
import type { User } from "../db/client";
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from "./passwords";

export const UsernameSchema = z
  .string()
  .trim()
  .min(2, "at least 2 characters")
  .max(64, "at most 64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, dot, dash and underscore only");

export const NewPasswordSchema = z
  .string()
  .min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `at most ${PASSWORD_MAX} characters`);

export const SetupBody = z.strictObject({
  token: z.string().min(1, "required").max(128, "at most 128 characters"),
  username: UsernameSchema,
  password: NewPasswordSchema,
});

export const LoginBody = z.strictObject({
  username: z.string().min(1, "required").max(64, "at most 64 characters"),
  password: z.string().min(1, "required").max(PASSWORD_MAX, `at most ${PASSWORD_MAX} characters`),
});

export function publicUser(u: User) {
  return { id: u.id, username: u.username, role: u.role, createdAt: u.createdAt.toISOString(), disabled: !!u.disabledAt };
}

export async function createFirstAdmin(svc: Services, body: z.output<typeof SetupBody>, ip: string): Promise<User> {
  if ((await svc.db.user.count()) > 0) throw new ApiError("conflict", "Setup is already complete: sign in instead");
  // Consume first: JavaScript runs this synchronously, so two racing requests cannot both
  // pass with one token.
  if (!svc.setup.consume(body.token)) {
    await audit(svc.db, { actor: body.username, action: "setup.create_admin", outcome: "denied", ip, details: { reason: "bad token" } });
    throw new ApiError("forbidden", "This setup link is invalid, expired or already used", { token: "invalid, expired or used" });
  }
  const passwordHash = await hashPassword(body.password);
  const user = await svc.db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) throw new ApiError("conflict", "Setup is already complete: sign in instead");
    return tx.user.create({ data: { username: body.username, passwordHash, role: "admin" } });
  });
  await audit(svc.db, { actor: user.username, userId: user.id, action: "setup.create_admin", outcome: "success", ip });
  return user;
}

export async function login(svc: Services, body: z.output<typeof LoginBody>, ip: string): Promise<User> {
  const acctKey = `acct:${body.username.toLowerCase()}`;
  const ipKey = `ip:${ip}`;
  const wait = Math.max(await svc.loginByAccount.retryAfter(acctKey), await svc.loginByAddress.retryAfter(ipKey));
  if (wait > 0) {
    await audit(svc.db, { actor: body.username, action: "auth.login", outcome: "denied", ip, details: { reason: "rate limited" } });
    throw new ApiError("rate_limited", `Too many failed sign-ins: try again in ${wait} s`, undefined, { "Retry-After": String(wait) });
  }
  const user = await svc.db.user.findUnique({ where: { username: body.username } });
  // An account linked to an OIDC provider has no password here: it is verified like an
  // unknown name (same time, same answer), whatever its passwordHash holds.
  const ok = await verifyPassword(user && !user.oidcIssuer ? user.passwordHash : null, body.password);
  if (!user || !ok) {
    await svc.loginByAccount.fail(acctKey);
    await svc.loginByAddress.fail(ipKey);
    await audit(svc.db, { actor: body.username, userId: user?.id ?? null, action: "auth.login", outcome: "failure", ip });
    // One message for unknown user and wrong password: no account enumeration.
    throw new ApiError("unauthenticated", "Wrong username or password");
  }
  await svc.loginByAccount.reset(acctKey);
  // Said only after a correct password: the message tells nothing to someone guessing, and
  // spares the real owner a futile password reset (docs/decisions/account-links-and-audit.md).
  if (user.disabledAt) {
    await audit(svc.db, {
      actor: user.username,
      userId: user.id,
      action: "auth.login",
      outcome: "denied",
      ip,
      details: { reason: "account disabled" },
    });
    throw new ApiError("forbidden", "This account is disabled: ask an admin to enable it");
  }
  // With a second factor the sign-in is complete only after the code (audited there).
  if (user.totpSecret) await audit(svc.db, { actor: user.username, userId: user.id, action: "auth.password", outcome: "success", ip });
  else await audit(svc.db, { actor: user.username, userId: user.id, action: "auth.login", outcome: "success", ip });
  return user;
}
