"use client";
// "New VM" on the machines list: only for those who may create VMs fleet-wide or on a host.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useGrants } from "../../lib/queries";

export function NewVmButton() {
  const g = useGrants();
  const t = useTranslations("machines.create");
  if (!g || !(g.global.has("vm.create") || [...g.hosts.values()].some((s) => s.has("vm.create")))) return null;
  return (
    <Link href="/machines/new" className="rounded bg-sky-600 px-3 py-2 text-sm font-medium text-white hover:bg-sky-700">
      {t("newVm")}
    </Link>
  );
}
