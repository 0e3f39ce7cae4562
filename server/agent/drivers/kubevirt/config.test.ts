import { describe, expect, it } from "vitest";
import { loadAgentConfig } from "../../config";

const env = { HANGAR_AGENT_ENV_FILE: "/nonexistent", HANGAR_SERVER_URL: "http://127.0.0.1:1" };

describe("KubeVirt agent settings", () => {
  it("off unless a kubeconfig is given; namespaces default to all", () => {
    expect(loadAgentConfig([], env)).toMatchObject({ kubeconfig: null, kubevirtNamespaces: [] });
    expect(loadAgentConfig([], { ...env, HANGAR_KUBECONFIG: "" }).kubeconfig).toBeNull();
  });

  it("reads HANGAR_KUBECONFIG / HANGAR_KUBEVIRT_NAMESPACES, and the flags first", () => {
    const cfg = loadAgentConfig([], { ...env, HANGAR_KUBECONFIG: "/etc/kube/config", HANGAR_KUBEVIRT_NAMESPACES: " vms, tenant-a ,," });
    expect(cfg).toMatchObject({ kubeconfig: "/etc/kube/config", kubevirtNamespaces: ["vms", "tenant-a"] });
    const flags = loadAgentConfig(["--kubeconfig", "/root/k", "--kubevirt-namespaces", "x"], { ...env, HANGAR_KUBECONFIG: "/etc/kube/config" });
    expect(flags).toMatchObject({ kubeconfig: "/root/k", kubevirtNamespaces: ["x"] });
  });
});
