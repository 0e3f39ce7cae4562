import { MachineDetail, type Tab } from "@/components/machines/machine-detail";

const TABS: readonly Tab[] = ["overview", "console", "serial", "devices", "xml"];

// ?tab=serial opens a section directly (the create-VM wizard lands on the new VM's console).
export default async function MachinePage({
  params,
  searchParams,
}: {
  params: Promise<{ hostId: string; uuid: string }>;
  searchParams: Promise<{ tab?: string }>;
}) {
  const { hostId, uuid } = await params;
  const { tab } = await searchParams;
  return <MachineDetail hostId={hostId} uuid={uuid} initialTab={TABS.find((t) => t === tab)} />;
}
