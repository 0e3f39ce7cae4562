import { getTranslations } from "next-intl/server";
import { MachinesTable } from "@/components/machines/machines-table";
import { HostHealthBanner } from "@/components/machines/host-health-banner";
import { NewVmButton } from "@/components/machines/create-vm/new-vm-button";
import { ImportVmLink } from "@/components/machines/import-vm";

export default async function MachinesPage() {
  const t = await getTranslations("machines");
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <div className="flex items-center gap-2">
          <ImportVmLink />
          <NewVmButton />
        </div>
      </div>
      <HostHealthBanner />
      <MachinesTable />
    </div>
  );
}
