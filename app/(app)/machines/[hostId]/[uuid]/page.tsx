import { MachineDetail } from "@/components/machines/machine-detail";

export default async function MachinePage({ params }: { params: Promise<{ hostId: string; uuid: string }> }) {
  const { hostId, uuid } = await params;
  return <MachineDetail hostId={hostId} uuid={uuid} />;
}
