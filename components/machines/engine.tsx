// Machines of the KubeVirt engine: a badge where they are listed, and which parts of the
// detail page apply to them. KubeVirt VMs are defined in the cluster (kubectl, GitOps), so
// the libvirt editors (settings, disks, NICs, snapshots, XML, clone, delete) and the
// serial console (not bridged yet) are not offered.
// The explanation shown on their page is machines.engine.notHere.
import { useTranslations } from "next-intl";
import type { DomainEngine } from "@/server/protocol/domain";

/** The detail tabs that work for KubeVirt machines. */
export const KUBEVIRT_TABS = new Set(["overview", "console", "devices"]);

export function EngineBadge({ engine }: { engine: DomainEngine }) {
  const t = useTranslations("machines.engine");
  if (engine !== "kubevirt") return null;
  return (
    <span
      data-testid="engine-badge"
      data-engine={engine}
      title={t("badgeTitle")}
      className="inline-flex shrink-0 items-center rounded bg-violet-100 px-1.5 py-0.5 text-[10px] font-medium text-violet-900 dark:bg-violet-900/40 dark:text-violet-200"
    >
      {t("badge")}
    </span>
  );
}
