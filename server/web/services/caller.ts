// Who asks: what every verb that changes something needs for its audit row and its task.
import type { Session, User } from "../db/client";

export interface Caller {
  user: User;
  ip: string;
}

/** A caller with the session its request came in: console tickets are bound to it. */
export interface SessionCaller extends Caller {
  session: Session;
}
