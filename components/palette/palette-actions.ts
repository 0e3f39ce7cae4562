// What the command palette offers for a search hit: opening it, and the actions its row's
// buttons would offer, each behind the same permission check as the button (allows() on
// the caller's grants, with the row's tags). An action the caller may not do is not offered.
// A leading verb ("restart web-3", "console db-1") narrows the offer to that action.
import type { SearchHit } from "@/server/protocol/search";
import { allows, type GrantSets } from "@/server/protocol/access";
import type { Permission } from "@/server/protocol/roles";
import type { DomainAction } from "@/server/protocol/domain";
import type { ContainerAction } from "@/server/protocol/container";

export type PaletteRun =
  | { type: "navigate"; href: string }
  | { type: "vm"; hostId: string; uuid: string; action: DomainAction }
  | { type: "container"; hostId: string; id: string; action: ContainerAction };

type VmVerb = "start" | "shutdown" | "reboot" | "suspend" | "resume";
type ContainerVerb = "start" | "stop" | "restart";
/** What an action is; its label is palette.actions.<key> in the catalogues ("Open", "Restart", …). */
export type PaletteActionKey = "open" | "console" | "logs" | VmVerb | ContainerVerb;

export interface PaletteAction {
  key: PaletteActionKey;
  /** The verbs a query may start with to pick this action. */
  verbs: readonly string[];
  run: PaletteRun;
}

const enc = encodeURIComponent;

/** Where a hit's page is. */
export function hrefOf(h: SearchHit): string {
  switch (h.kind) {
    case "vm":
      return `/machines/${enc(h.hostId!)}/${enc(h.id)}`;
    case "container":
      return `/containers/${enc(h.hostId!)}/${enc(h.id)}`;
    case "host":
      return `/hosts/${enc(h.id)}`;
    case "task":
      return `/tasks?task=${enc(h.id)}`;
    case "user":
      return "/settings#users";
  }
}

// Only actions a row's buttons offer without a confirmation: forcing off or deleting stays on
// the page, behind its dialog.
const VM_ACTIONS: { action: DomainAction & VmVerb; verbs: string[]; when: string[] }[] = [
  { action: "start", verbs: ["start", "boot"], when: ["shutoff", "crashed"] },
  { action: "shutdown", verbs: ["shutdown", "stop"], when: ["running"] },
  { action: "reboot", verbs: ["restart", "reboot"], when: ["running"] },
  { action: "suspend", verbs: ["pause", "suspend"], when: ["running"] },
  { action: "resume", verbs: ["resume", "unpause"], when: ["paused"] },
];
const CONTAINER_ACTIONS: { action: ContainerAction & ContainerVerb; verbs: string[]; when: string[] }[] = [
  { action: "start", verbs: ["start"], when: ["created", "exited", "dead"] },
  { action: "stop", verbs: ["stop", "shutdown"], when: ["running"] },
  { action: "restart", verbs: ["restart", "reboot"], when: ["running"] },
];

/** Every verb a query may start with. */
export const VERBS: ReadonlySet<string> = new Set([
  "open",
  "go",
  "console",
  "logs",
  ...VM_ACTIONS.flatMap((a) => a.verbs),
  ...CONTAINER_ACTIONS.flatMap((a) => a.verbs),
]);

/** "restart web-3" → { verb: "restart", text: "web-3" }; a lone word is searched, not taken as a verb. */
export function parseQuery(input: string): { verb: string | null; text: string } {
  const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(input);
  if (m && VERBS.has(m[1]!.toLowerCase())) return { verb: m[1]!.toLowerCase(), text: m[2]! };
  return { verb: null, text: input.trim() };
}

export function actionsFor(h: SearchHit, grants: GrantSets | null, verb: string | null): PaletteAction[] {
  if (!grants) return [];
  const target =
    h.kind === "vm" || h.kind === "container" || h.kind === "host" ? { type: h.kind, id: h.id, hostId: h.hostId ?? undefined } : undefined;
  const may = (p: Permission) => allows(grants, p, target, h.tags);
  const out: PaletteAction[] = [{ key: "open", verbs: ["open", "go"], run: { type: "navigate", href: hrefOf(h) } }];
  if (h.kind === "vm") {
    if (h.state === "running" && may("vm.console"))
      out.push({
        key: "console",
        verbs: ["console"],
        run: { type: "navigate", href: `/console/${enc(h.hostId!)}/${enc(h.id)}` },
      });
    if (may("vm.power"))
      for (const a of VM_ACTIONS)
        if (a.when.includes(h.state ?? ""))
          out.push({ key: a.action, verbs: a.verbs, run: { type: "vm", hostId: h.hostId!, uuid: h.id, action: a.action } });
  }
  if (h.kind === "container") {
    if (may("container.read")) out.push({ key: "logs", verbs: ["logs"], run: { type: "navigate", href: `${hrefOf(h)}#logs` } });
    if (may("container.manage"))
      for (const a of CONTAINER_ACTIONS)
        if (a.when.includes(h.state ?? ""))
          out.push({ key: a.action, verbs: a.verbs, run: { type: "container", hostId: h.hostId!, id: h.id, action: a.action } });
  }
  return verb ? out.filter((a) => a.verbs.includes(verb)) : out;
}
