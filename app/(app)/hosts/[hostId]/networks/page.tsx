import { NetworksView } from "@/components/networks/networks-view";

export default async function HostNetworksPage({ params }: { params: Promise<{ hostId: string }> }) {
  const { hostId } = await params;
  return <NetworksView hostId={hostId} />;
}
