import { HostsView } from "@/components/hosts/hosts-view";
import { Page } from "@/components/ui/form";

export default function HostsPage() {
  return (
    <Page title="Hosts">
      <HostsView />
    </Page>
  );
}
