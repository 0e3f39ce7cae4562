import { CreateVmWizard } from "@/components/machines/create-vm/create-vm-wizard";

export default async function NewMachinePage({ searchParams }: { searchParams: Promise<{ host?: string }> }) {
  const { host } = await searchParams;
  return <CreateVmWizard initialHost={host} />;
}
