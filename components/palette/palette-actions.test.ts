import { describe, expect, it } from "vitest";
import { grantSets } from "@/server/protocol/access";
import { permissionsOf } from "@/server/protocol/roles";
import type { SearchHit } from "@/server/protocol/search";
import { actionsFor, parseQuery } from "./palette-actions";

const vm = (over: Partial<SearchHit> = {}): SearchHit => ({
  kind: "vm",
  id: "0a000000-0000-4000-8000-00000000000a",
  hostId: "h1",
  title: "web-3",
  hostName: "host-1",
  match: null,
  state: "running",
  tags: [],
  score: 1,
  ...over,
});
const fleet = (role: string) => grantSets({ global: permissionsOf(role), hosts: {}, vms: {}, tags: {} });

describe("palette actions", () => {
  it("takes a leading verb only when something follows it", () => {
    expect(parseQuery("restart web-3")).toEqual({ verb: "restart", text: "web-3" });
    expect(parseQuery("  Console   db-1 ")).toEqual({ verb: "console", text: "db-1" });
    expect(parseQuery("restart")).toEqual({ verb: null, text: "restart" });
    expect(parseQuery("web 3")).toEqual({ verb: null, text: "web 3" });
  });

  it("offers what the role may do in the row's state, and nothing a viewer may not", () => {
    const keys = (g: ReturnType<typeof fleet>, h: SearchHit, verb: string | null = null) => actionsFor(h, g, verb).map((a) => a.key);
    expect(keys(fleet("operator"), vm())).toEqual(["open", "console", "shutdown", "reboot", "suspend"]);
    expect(keys(fleet("operator"), vm({ state: "shutoff" }))).toEqual(["open", "start"]);
    expect(keys(fleet("viewer"), vm())).toEqual(["open"]);
    expect(keys(fleet("viewer"), vm(), "restart")).toEqual([]);
    expect(keys(fleet("operator"), vm(), "restart")).toEqual(["reboot"]);
    expect(actionsFor(vm(), null, null)).toEqual([]);
  });

  it("follows scoped grants: a tag grant covers only the tagged row", () => {
    const g = grantSets({ global: [], hosts: {}, vms: {}, tags: { web: permissionsOf("operator") } });
    expect(actionsFor(vm({ tags: ["web"] }), g, "restart").map((a) => a.key)).toEqual(["reboot"]);
    expect(actionsFor(vm({ tags: ["db"] }), g, "restart")).toEqual([]);
    const c: SearchHit = { ...vm(), kind: "container", id: "0b0b0b0b0b0b", state: "exited", tags: ["web"] };
    expect(actionsFor(c, g, null).map((a) => a.key)).toEqual(["open", "logs", "start"]);
  });
});
