import { ContainerDetail } from "@/components/containers/container-detail";

export default async function ContainerPage({ params }: { params: Promise<{ hostId: string; id: string }> }) {
  const { hostId, id } = await params;
  return <ContainerDetail hostId={hostId} id={id} />;
}
