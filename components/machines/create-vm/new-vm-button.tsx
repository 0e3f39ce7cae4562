"use client";
// "New VM" on the machines list: only for roles that may create VMs.
import Link from "next/link";
import { useCan } from "../../lib/queries";

export function NewVmButton() {
  if (!useCan("vm.create")) return null;
  return (
    <Link href="/machines/new" className="rounded bg-sky-600 px-3 py-2 text-sm font-medium text-white hover:bg-sky-700">
      New VM
    </Link>
  );
}
