import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// The language of each page comes from app/i18n/request.ts (user, cookie, Accept-Language).
const withNextIntl = createNextIntlPlugin("./app/i18n/request.ts");

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native addons and Node-only packages stay out of Next's bundles.
  serverExternalPackages: ["@node-rs/argon2", "better-sqlite3", "ws", "pg", "@prisma/client", "@prisma/adapter-pg", "@prisma/adapter-better-sqlite3"],
  // `npm run typecheck` checks the whole project (tests included) in the test command; the
  // start command's build need not do it twice.
  typescript: { ignoreBuildErrors: true },
  turbopack: { root: import.meta.dirname },
};

export default withNextIntl(config);
