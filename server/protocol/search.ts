// The command palette's search (GET /api/search): one list of hits across hosts, VMs,
// containers, tasks and users, best first, holding only what the caller may see.
import { z } from "zod";

export const SEARCH_KINDS = ["vm", "container", "host", "task", "user"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1, "type something to search for").max(100, "at most 100 characters"),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export interface SearchHit {
  kind: SearchKind;
  /** VM UUID, container id, host id, task id or user id. */
  id: string;
  hostId: string | null;
  title: string;
  /** The host a VM or container is on; the browser words the subtitle in the reader's language. */
  hostName: string | null;
  /** The field the query matched and its value, when not the title (an IP, a MAC, a tag). */
  match: { field: string; value: string } | null;
  /** Machine or container state; a task's status; "online" or "offline" for a host; a user's role. */
  state: string | null;
  tags: string[];
  score: number;
}
