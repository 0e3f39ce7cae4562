import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getMessages } from "next-intl/server";
import { Providers } from "@/components/providers";
import "./globals.css";

// Every page is rendered per request, the not-found page included: each response's
// scripts carry that response's CSP nonce (server/web/http/security-headers.ts), which a
// page prerendered at build time could not.
export const dynamic = "force-dynamic";

// Icons live in public/ (rendered from public/icon.svg by scripts/render-icons.mjs).
export const metadata: Metadata = {
  title: "Hangar",
  // i18n-ignore: metadata stays English (one title and description for every reader and crawler)
  description: "Virtual machines and containers across your hosts",
  manifest: "/manifest.webmanifest",
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-screen antialiased">
        <NextIntlClientProvider locale={locale} messages={await getMessages()}>
          <Providers>{children}</Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
