import { ImportVm } from "@/components/machines/import-vm";
import { Page } from "@/components/ui/form";

export default function ImportMachinePage() {
  return (
    <Page title="Import a VM">
      <ImportVm />
    </Page>
  );
}
