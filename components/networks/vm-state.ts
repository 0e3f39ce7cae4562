"use client";
// A machine's libvirt state in the reader's language (the raw value when it is not one of libvirt's).
import { useTranslations } from "next-intl";
import { DOMAIN_STATES, type DomainState } from "@/server/protocol/domain";

const isDomainState = (s: string): s is DomainState => (DOMAIN_STATES as readonly string[]).includes(s);

export function useVmStateText(): (state: string) => string {
  const t = useTranslations("networks.vmState");
  return (state) => (isDomainState(state) ? t(state) : state);
}
