export * from "./domain";
export * from "./host";
export * from "./agent-messages";
export * from "./enroll";
export * from "./browser-events";
export * from "./console";
export * from "./metrics";
export * from "./container";
