import type { DomainAction, DomainState } from "@/server/protocol/domain";

export interface ActionSpec {
  action: DomainAction;
  label: string;
  /** Destructive actions ask first. */
  confirm?: string;
  when: DomainState[];
}

export const ACTIONS: ActionSpec[] = [
  { action: "start", label: "Start", when: ["shutoff", "crashed"] },
  { action: "shutdown", label: "Shut down", when: ["running"] },
  { action: "reboot", label: "Reboot", when: ["running"] },
  { action: "suspend", label: "Pause", when: ["running"] },
  { action: "resume", label: "Resume", when: ["paused"] },
  {
    action: "reset",
    label: "Reset",
    when: ["running", "paused"],
    confirm: "Reset is like pressing the reset button: unsaved data in the guest is lost.",
  },
  {
    action: "destroy",
    label: "Force off",
    when: ["running", "paused", "shutdown", "crashed", "pmsuspended", "blocked"],
    confirm: "Force off cuts the power: unsaved data in the guest is lost.",
  },
];

export function actionsFor(state: DomainState): ActionSpec[] {
  return ACTIONS.filter((a) => a.when.includes(state));
}
