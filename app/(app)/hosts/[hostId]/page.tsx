import { HostDetail } from "@/components/hosts/host-detail";

export default async function HostPage({ params }: { params: Promise<{ hostId: string }> }) {
  const { hostId } = await params;
  return <HostDetail hostId={hostId} />;
}
