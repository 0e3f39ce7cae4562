import { describe, expect, it } from "vitest";
import { ApiError } from "../http/errors";
import { refusalField } from "../http/agent-errors";
import { isSpecField } from "./vm-create";

const fieldsOf = (message: string) => (refusalField(new ApiError("invalid", message), { accept: isSpecField }) as ApiError).fields;

describe("vm.create refusals", () => {
  it("an agent's refusal names its field only for fields of the spec", () => {
    expect(fieldsOf("memoryMiB: the host has 100 MiB")).toEqual({ memoryMiB: "the host has 100 MiB" });
    expect(fieldsOf("disk.sizeBytes: pool p has 1 bytes free")).toEqual({ "disk.sizeBytes": "pool p has 1 bytes free" });
    expect(fieldsOf("internal error: something: else")).toBeUndefined();
  });
});
