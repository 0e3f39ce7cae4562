import { describe, expect, it } from "vitest";
import { CLUSTER_HEADER, clusterHeaders, isClusterRequest } from "./internal-auth";

const secret = "s".repeat(40);

describe("cluster internal auth", () => {
  it("accepts the headers a peer sends and nothing else", () => {
    expect(isClusterRequest(secret, clusterHeaders(secret)[CLUSTER_HEADER])).toBe(true);
    expect(isClusterRequest(secret, "s".repeat(39))).toBe(false);
    expect(isClusterRequest(secret, undefined)).toBe(false);
    expect(isClusterRequest(secret, [secret])).toBe(false);
  });

  it("refuses everything when no secret is configured", () => {
    expect(isClusterRequest(null, "")).toBe(false);
    expect(isClusterRequest(null, secret)).toBe(false);
  });
});
