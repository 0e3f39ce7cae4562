"use client";
// A machine's libvirt state in the reader's language (the raw value when it is not one of libvirt's).
import { useTranslations } from "next-intl";
import { valueLabel } from "../i18n/value-label";

export function useVmStateText(): (state: string) => string {
  const t = useTranslations("networks.vmState");
  return (state) => valueLabel(t, state);
}
