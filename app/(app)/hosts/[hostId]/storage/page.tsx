import { StorageView } from "@/components/storage/storage-view";

export default async function HostStoragePage({ params }: { params: Promise<{ hostId: string }> }) {
  const { hostId } = await params;
  return <StorageView hostId={hostId} />;
}
