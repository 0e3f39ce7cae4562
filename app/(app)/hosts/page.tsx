import { HostsView } from "@/components/hosts/hosts-view";

export default function HostsPage() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Hosts</h1>
      <HostsView />
    </div>
  );
}
