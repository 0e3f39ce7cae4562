// Backup and snapshot jobs as the browser sees them (GET /api/backup-jobs and its runs).
export type BackupTarget = { type: "vm"; hostId: string; uuid: string } | { type: "host"; hostId: string } | { type: "tag"; tag: string };

export interface BackupRetention {
  last?: number | undefined;
  daily?: number | undefined;
  weekly?: number | undefined;
}

export interface JobRunRow {
  id: string;
  jobId: string;
  /** ISO time of the cron slot, or "manual-<iso>" for run now. */
  slot: string;
  hostId: string;
  target: string;
  targetName: string;
  /** running | succeeded | failed | deleted (pruned by retention) */
  status: string;
  taskId: string | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  size: number | null;
  /** The backup's directory on the host, or the snapshot's name. */
  path: string | null;
}

export interface BackupJobRow {
  id: string;
  name: string;
  kind: string;
  target: BackupTarget;
  targetName: string;
  cron: string;
  timeZone: string;
  retention: BackupRetention;
  destination: string;
  paused: boolean;
  /** The next three slots (none while paused). */
  nextRuns: string[];
  lastRun: JobRunRow | null;
}
