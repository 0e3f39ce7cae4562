// Machines of the KubeVirt engine: a badge where they are listed, and which parts of the
// detail page apply to them. KubeVirt VMs are defined in the cluster (kubectl, GitOps), so
// the libvirt editors (settings, disks, NICs, snapshots, XML, clone, delete) and the
// serial console (not bridged yet) are not offered.
import type { DomainEngine } from "@/server/protocol/domain";

export const KUBEVIRT_NOT_HERE =
  "This machine runs in KubeVirt: its definition lives in the Kubernetes cluster (change it with kubectl or your GitOps tooling). Editing, snapshots, XML, clone, delete and the serial console are libvirt features.";

/** The detail tabs that work for KubeVirt machines. */
export const KUBEVIRT_TABS = new Set(["overview", "console", "devices"]);

export function EngineBadge({ engine }: { engine: DomainEngine }) {
  if (engine !== "kubevirt") return null;
  return (
    <span
      data-testid="engine-badge"
      data-engine={engine}
      title="Runs in a Kubernetes cluster through KubeVirt"
      className="inline-flex shrink-0 items-center rounded bg-violet-100 px-1.5 py-0.5 text-[10px] font-medium text-violet-900 dark:bg-violet-900/40 dark:text-violet-200"
    >
      KubeVirt
    </span>
  );
}
