// What a task whose result never arrived (agent gone, server restarted, deadline passed)
// most likely did, judged from the state its agent reports now. Only what the state can
// prove is called succeeded; a kind the inventory cannot confirm stays "unknown" for good.
import {
  ACTION_RESULT_STATE,
  CONTAINER_ACTIONS,
  DOMAIN_ACTIONS,
  type ContainerAction,
  type ContainerState,
  type ContainerSummary,
  type DomainAction,
  type DomainSummary,
} from "../../protocol";

export interface UnsettledTask {
  kind: string;
  targetType: string;
  targetId: string;
  targetName: string;
  inputJson: string;
}

export interface Verdict {
  status: "succeeded" | "failed" | "unknown";
  /** What was observed, kept on the task: the state now, or "gone". */
  state: string;
  error: string | null;
}

export interface Observed {
  domains?: ReadonlyMap<string, DomainSummary>;
  containers?: ReadonlyMap<string, ContainerSummary>;
}

/** The state a successful container action leaves behind ("gone" once removed). */
const CONTAINER_RESULT_STATE: Record<ContainerAction, ContainerState | "gone"> = {
  start: "running",
  stop: "exited",
  restart: "running",
  pause: "paused",
  unpause: "running",
  kill: "exited",
  remove: "gone",
};

/** null when this task's kind is not judged from `observed` (e.g. a VM task and only containers known). */
export function verdict(t: UnsettledTask, observed: Observed): Verdict | null {
  if (t.targetType === "vm" && observed.domains) return vmVerdict(t, observed.domains);
  if (t.targetType === "container" && observed.containers) return containerVerdict(t, observed.containers);
  if (t.targetType === "image" && observed.containers) return unconfirmable("image changes are not in the inventory");
  if (t.targetType === "pool" && observed.domains) return unconfirmable("storage pools are not in the inventory");
  if (t.targetType === "network" && observed.domains) return unconfirmable("virtual networks are not in the inventory");
  if (t.targetType === "volume" && observed.domains) return unconfirmable("storage volumes are not in the inventory");
  return null;
}

function input(t: UnsettledTask): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(t.inputJson);
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function judged(ok: boolean, state: string): Verdict {
  return { status: ok ? "succeeded" : "failed", state, error: ok ? null : `Result unconfirmed: the target is now ${state}` };
}

function unconfirmable(why: string): Verdict {
  return { status: "unknown", state: "unknown", error: `The result never arrived and cannot be confirmed (${why})` };
}

function vmVerdict(t: UnsettledTask, domains: ReadonlyMap<string, DomainSummary>): Verdict {
  // A create is aimed at the name (no uuid existed yet): a machine of that name proves it;
  // a failed create rolls back, so no such machine means it did not happen.
  if (t.kind === "vm.create") {
    const made = [...domains.values()].find((d) => d.name === t.targetId);
    return made ? { status: "succeeded", state: made.state, error: null } : judged(false, "absent");
  }
  // The agent abandons a backup whose server went away and removes its partial copy.
  if (t.kind === "vm.backup")
    return { status: "failed", state: "abandoned", error: "The backup was abandoned when the server went away (no backup was kept)" };
  // Edits, XML, snapshots, clones and deletions with volumes: the row cannot prove them.
  if (/^vm\.(edit|xml|snapshot|clone|delete)(\.|$)/.test(t.kind)) return unconfirmable(`${t.kind} is not confirmed from the inventory`);
  const action = t.kind.replace(/^vm\./, "");
  if (!(DOMAIN_ACTIONS as readonly string[]).includes(action)) return unconfirmable(`${t.kind} is not a machine action`);
  const d = domains.get(t.targetId);
  const now = d ? d.state : "gone";
  if (action === "autostart") {
    const want = input(t).enabled;
    return d && typeof want === "boolean" ? judged(d.autostart === want, `autostart ${d.autostart ? "on" : "off"}`) : judged(false, now);
  }
  // A reboot that never ran leaves the machine running just like one that did.
  if ((action === "reboot" || action === "reset") && now === "running") return unconfirmable(`${action} leaves the machine running either way`);
  return judged(now === ACTION_RESULT_STATE[action as DomainAction], now);
}

function containerVerdict(t: UnsettledTask, containers: ReadonlyMap<string, ContainerSummary>): Verdict {
  if (t.kind === "container.create") {
    const name = input(t).name;
    const made = typeof name === "string" ? [...containers.values()].find((c) => c.name === name) : undefined;
    if (typeof name !== "string") return unconfirmable("a container created without a name cannot be found again");
    return made ? { status: "succeeded", state: made.state, error: null } : judged(false, "absent");
  }
  const action = t.kind.replace(/^container\./, "");
  if (!(CONTAINER_ACTIONS as readonly string[]).includes(action)) return unconfirmable(`${t.kind} is not a container action`);
  const c = containers.get(t.targetId);
  const now = c ? c.state : "gone";
  return judged(now === CONTAINER_RESULT_STATE[action as ContainerAction], now);
}
