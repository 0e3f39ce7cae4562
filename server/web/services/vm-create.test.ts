import { describe, expect, it } from "vitest";
import { refusalFields } from "./vm-create";

describe("vm.create refusals", () => {
  it("an agent's refusal names its field only for fields of the spec", () => {
    expect(refusalFields("memoryMiB: the host has 100 MiB")).toEqual({ memoryMiB: "the host has 100 MiB" });
    expect(refusalFields("disk.sizeBytes: pool p has 1 bytes free")).toEqual({ "disk.sizeBytes": "pool p has 1 bytes free" });
    expect(refusalFields("internal error: something: else")).toBeUndefined();
  });
});
