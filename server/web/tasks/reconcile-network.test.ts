// Network tasks are not judged from the inventory (networks are not in it): a lost result stays unknown, never guessed.
import { expect, it } from "vitest";
import { verdict } from "./reconcile";

it("a network task whose result never arrived stays unknown on reconcile", () => {
  for (const kind of ["network.define", "network.start", "network.stop", "network.autostart", "network.undefine"]) {
    const v = verdict({ kind, targetType: "network", targetId: "n", targetName: "n", inputJson: "{}" }, { domains: new Map() });
    expect(v).toMatchObject({ status: "unknown", state: "unknown" });
  }
});
