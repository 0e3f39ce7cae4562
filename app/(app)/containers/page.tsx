import { Page } from "@/components/ui/form";
import { ContainersView } from "@/components/containers/containers-view";

export default function ContainersPage() {
  return (
    <Page title="Containers">
      <ContainersView />
    </Page>
  );
}
