import type { DomainAction, DomainState } from "@/server/protocol/domain";

/** The power actions offered as buttons (labels: machines.actions.<action>). */
export type ButtonAction = Exclude<DomainAction, "undefine" | "autostart">;

export interface ActionSpec {
  action: ButtonAction;
  /** Destructive actions ask first (text: machines.actionConfirm.<action>). */
  confirm?: "reset" | "destroy";
  when: DomainState[];
}

export const ACTIONS: ActionSpec[] = [
  { action: "start", when: ["shutoff", "crashed"] },
  { action: "shutdown", when: ["running"] },
  { action: "reboot", when: ["running"] },
  { action: "suspend", when: ["running"] },
  { action: "resume", when: ["paused"] },
  { action: "reset", when: ["running", "paused"], confirm: "reset" },
  { action: "destroy", when: ["running", "paused", "shutdown", "crashed", "pmsuspended", "blocked"], confirm: "destroy" },
];

export function actionsFor(state: DomainState): ActionSpec[] {
  return ACTIONS.filter((a) => a.when.includes(state));
}
