import { ConsolePage } from "@/components/console/console-page";
import { requirePageSession } from "@/server/web/http/page-session";

export const dynamic = "force-dynamic";

// The pop-out console: the whole window for the screen, outside the app shell.
export default async function PopOutConsolePage({ params }: { params: Promise<{ hostId: string; uuid: string }> }) {
  await requirePageSession();
  const { hostId, uuid } = await params;
  return <ConsolePage hostId={hostId} uuid={uuid} />;
}
