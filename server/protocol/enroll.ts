import { z } from "zod";
import { HostFacts } from "./host";

/** POST /api/agent/enroll: a one-time enrollment token is exchanged for a host credential. */
export const EnrollRequest = z.strictObject({ token: z.string().min(20).max(128), facts: HostFacts.optional() });
export const EnrollResponse = z.strictObject({ hostId: z.string(), credential: z.string(), name: z.string() });
export type EnrollResponse = z.infer<typeof EnrollResponse>;
