"use client";
// The UI language, saved on the account (it follows the user to every browser) and as a
// cookie (the sign-in page after signing out keeps it). The page re-renders in place: the
// server components read the new choice, the client keeps its cached data.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { LOCALES, LOCALE_NAMES, isLocale, type Locale } from "@/server/protocol/locales";
import { api } from "../lib/api";
import { useMe } from "../lib/queries";
import { keys } from "../lib/query-keys";
import { useToast } from "../ui/toasts";
import { Panel, SELECT } from "./panel";

export function PreferencesPanel() {
  const t = useTranslations("common.language");
  const me = useMe();
  const qc = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const save = useMutation({
    mutationFn: (locale: Locale | null) => api("/api/auth/me", { method: "PATCH", body: { locale } }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: keys.me() });
      router.refresh();
      toast(t("saved"), "success");
    },
  });
  const current = me.data?.preferences.locale ?? "";
  return (
    <Panel id="preferences" title={t("title")}>
      <label className="flex flex-col gap-1 text-sm sm:max-w-xs">
        <span className="font-medium">{t("title")}</span>
        <select
          className={SELECT}
          value={current}
          disabled={!me.data || save.isPending}
          onChange={(e) => save.mutate(isLocale(e.target.value) ? e.target.value : null)}
        >
          <option value="">{t("browserDefault")}</option>
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <p className="mt-2 text-sm text-slate-500">{t("help")}</p>
    </Panel>
  );
}
