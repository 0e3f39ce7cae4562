import { describe, expect, it } from "vitest";
import { loadAgentConfig } from "./config";

const env = { HANGAR_AGENT_ENV_FILE: "/nonexistent" };

describe("agent server addresses", () => {
  it("one address, or a comma-separated list tried in turn (the first is where enrollment goes first)", () => {
    expect(loadAgentConfig(["--server", "https://hangar.example.com"], env)).toMatchObject({
      serverUrl: "https://hangar.example.com",
      serverUrls: ["https://hangar.example.com"],
    });
    const cfg = loadAgentConfig([], { ...env, HANGAR_SERVER_URL: " http://a:3000, http://b:3000 ,,http://a:3000" });
    expect(cfg.serverUrls).toEqual(["http://a:3000", "http://b:3000"]);
    expect(cfg.serverUrl).toBe("http://a:3000");
  });

  it("refuses an empty list and an address that is not http(s), naming it", () => {
    expect(() => loadAgentConfig([], { ...env, HANGAR_SERVER_URL: " , " })).toThrow(/HANGAR_SERVER_URL\) is required/);
    expect(() => loadAgentConfig(["--server", "http://a:3000,b:3000"], env)).toThrow(/"b:3000" is not an http\(s\) URL/);
    expect(() => loadAgentConfig(["--server", "ws://a:3000"], env)).toThrow(/"ws:\/\/a:3000"/);
  });
});
