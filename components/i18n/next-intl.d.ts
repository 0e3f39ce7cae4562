// Types next-intl's `t()` keys and locales from the English catalogue: a key that is not in
// it fails the type check.
import type { Locale } from "@/server/protocol/locales";
import type { Messages } from "./messages";

declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
