import { EmptyState, Page } from "@/components/ui/form";

export default function ContainersPage() {
  return (
    <Page title="Containers">
      <EmptyState title="Nothing here yet">No containers: container engines arrive with the containers work.</EmptyState>
    </Page>
  );
}
