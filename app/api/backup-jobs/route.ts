import { route, json } from "@/server/web/http/route";
import { createJob, JobBody, listJobs } from "@/server/web/services/backup-jobs";

// Jobs target VMs, hosts and tags and write to host directories: fleet-wide rights only.
export const GET = route({ permission: "backup.read" }, async ({ svc }) => json(await listJobs(svc)));

export const POST = route({ permission: "backup.manage", body: JobBody }, async ({ svc, user, ip, body }) =>
  json({ job: await createJob(svc, { user, ip }, body) }, { status: 201 }),
);
