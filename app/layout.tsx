import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

// Every page is rendered per request, the not-found page included: each response's
// scripts carry that response's CSP nonce (server/web/http/security-headers.ts), which a
// page prerendered at build time could not.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Hangar", description: "Virtual machines and containers across your hosts" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
