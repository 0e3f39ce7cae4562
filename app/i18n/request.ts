// next-intl's per-request configuration (wired in next.config.ts): which language this page
// renders in and its catalogue. No locale in URLs: the language is a preference, not a route.
import { getRequestConfig } from "next-intl/server";
import { CATALOGUES } from "@/components/i18n/messages";
import { pageLocale } from "@/server/web/http/page-locale";

export default getRequestConfig(async () => {
  const locale = await pageLocale();
  return { locale, messages: CATALOGUES[locale] };
});
