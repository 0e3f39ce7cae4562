import fs from "node:fs";
import path from "node:path";
import { route } from "@/server/web/http/route";
import { ApiError } from "@/server/web/http/errors";

// The agent bundle (one file, no dependencies beyond Node 20) for the enrollment command.
// Not secret: it holds no credential.
export const GET = route({ auth: "none" }, async () => {
  const file = path.join(process.env.HANGAR_ROOT ?? process.cwd(), "dist", "agent.mjs");
  if (!fs.existsSync(file)) throw new ApiError("not_found", "The agent bundle is not built on this server");
  return new Response(fs.readFileSync(file), {
    headers: { "Content-Type": "text/javascript; charset=utf-8", "Content-Disposition": 'attachment; filename="hangar-agent.mjs"' },
  });
});
