// Second-factor verbs: enrol (secret + QR, confirmed by a code), the second sign-in step,
// disable (with a code or a recovery code), the admin reset and the "who must enrol"
// policy. Every wrong code counts against the same kind of throttle as passwords.
import { z } from "zod";
import QRCode from "qrcode";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import type { Services } from "../services";
import type { User } from "../db/client";
import { publicUser } from "../auth/accounts";
import { ROLES } from "../auth/permissions";
import { acceptCode, newRecoveryCodes, newTotpSecret, otpauthUri, recoveryHash } from "../auth/totp";
import type { Caller } from "./caller";
import type { Client } from "./sessions";
import { CLOSE_ENROL_TOTP } from "../ws/socket-registry";

const Code = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "6 digits");
const Recovery = z.string().trim().min(1, "required").max(40, "at most 40 characters");

/** A current code or one recovery code, not both. */
const SecondFactor = { code: Code.optional(), recoveryCode: Recovery.optional() };
const oneFactor = (b: { code?: string; recoveryCode?: string }) => (b.code === undefined) !== (b.recoveryCode === undefined);
const ONE_FACTOR = { message: "give either a code or a recovery code", path: ["code"] };

export const TotpLoginBody = z.strictObject({ challenge: z.string().min(1, "required").max(128), ...SecondFactor }).refine(oneFactor, ONE_FACTOR);
export const TotpConfirmBody = z.strictObject({ code: Code });
export const TotpDisableBody = z.strictObject(SecondFactor).refine(oneFactor, ONE_FACTOR);
export const TotpPolicyBody = z.strictObject({ requireAll: z.boolean(), roles: z.array(z.enum(ROLES)).max(ROLES.length) });

type Factor = { code?: string; recoveryCode?: string };

export async function totpStatus(svc: Services, user: User) {
  const left = user.totpSecret ? await svc.db.recoveryCode.count({ where: { userId: user.id, usedAt: null } }) : 0;
  return {
    enabled: !!user.totpSecret,
    enabledAt: user.totpEnabledAt?.toISOString() ?? null,
    recoveryCodesLeft: left,
    required: svc.totp.required(user),
    mustEnrol: svc.totp.mustEnrol(user),
  };
}

/** A new secret, held as pending until a code from it is confirmed. */
export async function startEnrolment(svc: Services, { user, ip }: Caller) {
  if (user.totpSecret) throw new ApiError("conflict", "Two-factor sign-in is already on: turn it off first to enrol a new device");
  const secret = newTotpSecret();
  await svc.db.user.update({ where: { id: user.id }, data: { totpPending: secret } });
  const uri = otpauthUri(secret, user.username);
  // Rendered here, so the browser bundle carries no QR encoder; an SVG data URL (CSP img-src allows data:).
  const svg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  await audit(svc.db, { actor: user.username, userId: user.id, action: "totp.enrol_start", outcome: "success", ip });
  return { secret, uri, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}

export async function confirmEnrolment(svc: Services, { user, ip }: Caller, code: string) {
  if (user.totpSecret) throw new ApiError("conflict", "Two-factor sign-in is already on");
  if (!user.totpPending) throw new ApiError("conflict", "Start enrolment first", { code: "no enrolment in progress" });
  await throttled(svc, user, ip);
  const step = acceptCode(user.totpPending, code, null);
  if (step === null) return wrongFactor(svc, user, ip, "totp.enrol_confirm");
  const codes = newRecoveryCodes();
  await svc.db.$transaction([
    svc.db.user.update({
      where: { id: user.id },
      data: { totpSecret: user.totpPending, totpPending: null, totpEnabledAt: new Date(), totpLastStep: step },
    }),
    svc.db.recoveryCode.deleteMany({ where: { userId: user.id } }),
    svc.db.recoveryCode.createMany({ data: codes.map((c) => ({ userId: user.id, codeHash: recoveryHash(c) })) }),
  ]);
  await passed(svc, user, ip);
  await audit(svc.db, { actor: user.username, userId: user.id, action: "totp.enable", outcome: "success", ip });
  // Shown once: only their hashes are kept.
  return { recoveryCodes: codes };
}

export async function disableTotp(svc: Services, { user, ip }: Caller, body: Factor) {
  if (!user.totpSecret) throw new ApiError("conflict", "Two-factor sign-in is not on");
  if (svc.totp.required(user)) throw new ApiError("forbidden", "Your role requires two-factor sign-in: it cannot be turned off");
  const how = await checkSecondFactor(svc, user, ip, body, "totp.disable");
  await clearTotp(svc, user.id);
  await audit(svc.db, { actor: user.username, userId: user.id, action: "totp.disable", outcome: "success", ip, details: { with: how } });
}

/** Admin: the user lost their device. They sign in with the password alone until they enrol again. */
export async function resetTotp(svc: Services, { user: actor, ip }: Caller, userId: string) {
  const target = await svc.db.user.findUnique({ where: { id: userId } });
  if (!target) throw new ApiError("not_found", `No user ${userId}`, { id: "unknown user" });
  await clearTotp(svc, userId);
  const closed = await closeUnenrolledSockets(svc);
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "totp.reset",
    target: target.username,
    outcome: "success",
    ip,
    details: { socketsClosed: closed },
  });
}

export function getTotpPolicy(svc: Services) {
  return svc.totp.getPolicy();
}

export async function setTotpPolicy(svc: Services, { user, ip }: Caller, body: z.output<typeof TotpPolicyBody>) {
  const before = svc.totp.getPolicy();
  await svc.totp.setPolicy({ requireAll: body.requireAll, roles: [...new Set(body.roles)] });
  const closed = await closeUnenrolledSockets(svc);
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "totp.policy",
    outcome: "success",
    ip,
    details: { before, after: svc.totp.getPolicy(), socketsClosed: closed },
  });
  return svc.totp.getPolicy();
}

/** The second sign-in step: the challenge from the password step plus a code or a recovery code. */
export async function finishTotpLogin(svc: Services, body: z.output<typeof TotpLoginBody>, client: Client) {
  const userId = await svc.totp.challengeUser(body.challenge);
  const user = userId ? await svc.db.user.findUnique({ where: { id: userId } }) : null;
  if (!user?.totpSecret) {
    await audit(svc.db, {
      actor: "anonymous",
      action: "auth.totp",
      outcome: "failure",
      ip: client.ip,
      details: { reason: "unknown or expired challenge" },
    });
    throw new ApiError("unauthenticated", "This sign-in has expired: enter your password again", { challenge: "expired or unknown" });
  }
  const how = await checkSecondFactor(svc, user, client.ip, body, "auth.totp");
  await svc.totp.closeChallenge(body.challenge);
  const { token } = await svc.sessions.create(user.id, { userAgent: client.userAgent, ip: client.ip });
  await audit(svc.db, {
    actor: user.username,
    userId: user.id,
    action: "auth.login",
    outcome: "success",
    ip: client.ip,
    details: { secondFactor: how },
  });
  return { user: publicUser(user), token };
}

/**
 * REST refuses users the policy sends to enrolment from their next request; their open
 * sockets are closed here, with a code that sends the browser to the enrolment page.
 */
async function closeUnenrolledSockets(svc: Services): Promise<number> {
  const p = svc.totp.getPolicy();
  if (!p.requireAll && !p.roles.length) return 0;
  const sessions = await svc.db.session.findMany({
    where: { revokedAt: null, user: { totpSecret: null, ...(p.requireAll ? {} : { role: { in: p.roles } }) } },
    select: { id: true },
  });
  return sessions.length
    ? svc.sockets.closeSessions(
        sessions.map((s) => s.id),
        "two-factor sign-in required",
        CLOSE_ENROL_TOTP,
      )
    : 0;
}

async function clearTotp(svc: Services, userId: string) {
  await svc.db.$transaction([
    svc.db.user.update({ where: { id: userId }, data: { totpSecret: null, totpPending: null, totpEnabledAt: null, totpLastStep: null } }),
    svc.db.recoveryCode.deleteMany({ where: { userId } }),
  ]);
}

/** Checks a code (not replayed) or spends a recovery code; throttled, audited when wrong. */
async function checkSecondFactor(svc: Services, user: User, ip: string, f: Factor, action: string): Promise<"code" | "recovery code"> {
  await throttled(svc, user, ip);
  if (f.recoveryCode !== undefined) {
    const { count } = await svc.db.recoveryCode.updateMany({
      where: { userId: user.id, codeHash: recoveryHash(f.recoveryCode), usedAt: null },
      data: { usedAt: new Date() },
    });
    if (count !== 1) return wrongFactor(svc, user, ip, action, "recovery code");
    await passed(svc, user, ip);
    return "recovery code";
  }
  const step = acceptCode(user.totpSecret!, f.code ?? "", user.totpLastStep);
  // The conditional write is what makes a code single-use when two requests race with it.
  const won =
    step !== null &&
    (
      await svc.db.user.updateMany({
        where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
        data: { totpLastStep: step },
      })
    ).count === 1;
  if (!won) return wrongFactor(svc, user, ip, action, "code");
  await passed(svc, user, ip);
  return "code";
}

async function throttled(svc: Services, user: User, ip: string): Promise<void> {
  const wait = Math.max(await svc.totp.byAccount.retryAfter(user.id), await svc.totp.byAddress.retryAfter(ip));
  if (wait > 0) {
    void audit(svc.db, { actor: user.username, userId: user.id, action: "auth.totp", outcome: "denied", ip, details: { reason: "rate limited" } });
    throw new ApiError("rate_limited", `Too many wrong codes: try again in ${wait} s`, undefined, { "Retry-After": String(wait) });
  }
}

async function passed(svc: Services, user: User, _ip: string): Promise<void> {
  await svc.totp.byAccount.reset(user.id);
}

async function wrongFactor(svc: Services, user: User, ip: string, action: string, what = "code"): Promise<never> {
  await svc.totp.byAccount.fail(user.id);
  await svc.totp.byAddress.fail(ip);
  await audit(svc.db, { actor: user.username, userId: user.id, action, outcome: "failure", ip, details: { reason: `wrong or used ${what}` } });
  // 401 in the sign-in step (like a wrong password); 422 when signed in, so the browser does not take it for a lost session.
  throw new ApiError(action === "auth.totp" ? "unauthenticated" : "invalid", `Wrong or already used ${what}`, {
    [what === "code" ? "code" : "recoveryCode"]: "wrong or already used",
  });
}
