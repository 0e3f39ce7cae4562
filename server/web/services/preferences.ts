// The signed-in user's own preferences (today: the UI language). Not audited: it changes
// nothing anyone else sees and nothing about access.
import { z } from "zod";
import { LOCALES, type Locale } from "../../protocol/locales";
import type { Services } from "../services";
import type { Caller } from "./caller";

export const PreferencesBody = z
  .object({
    // null: no choice, the browser's Accept-Language decides.
    locale: z.enum(LOCALES, { error: `must be one of ${LOCALES.join(", ")} or null` }).nullable(),
  })
  .strict();

export async function setPreferences(svc: Services, caller: Caller, body: z.output<typeof PreferencesBody>): Promise<{ locale: Locale | null }> {
  await svc.db.user.update({ where: { id: caller.user.id }, data: { locale: body.locale } });
  return { locale: body.locale };
}
