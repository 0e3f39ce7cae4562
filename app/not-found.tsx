import Link from "next/link";
import { getTranslations } from "next-intl/server";

// In the reader's language, unlike Next's built-in page (English only).
export default async function NotFound() {
  const t = await getTranslations("common.notFound");
  return (
    <main id="main" className="mx-auto flex max-w-lg flex-col gap-3 p-10">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="text-slate-600 dark:text-slate-400">{t("body")}</p>
      <Link href="/" className="text-sky-700 underline dark:text-sky-400">
        {t("home")}
      </Link>
    </main>
  );
}
