import { ConsolePage } from "@/components/console/console-page";

export default async function MachineConsolePage({ params }: { params: Promise<{ hostId: string; uuid: string }> }) {
  const { hostId, uuid } = await params;
  return <ConsolePage hostId={hostId} uuid={uuid} />;
}
