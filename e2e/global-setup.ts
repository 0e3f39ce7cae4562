// One real Hangar server (built dist/, fresh SQLite) for the browser tests. Its URL and
// first-run setup token reach the tests through the environment.
import { startServer } from "../tests/helpers/server";

export default async function globalSetup() {
  const srv = await startServer();
  process.env.HANGAR_E2E_URL = srv.url;
  process.env.HANGAR_E2E_SETUP_TOKEN = srv.setupToken ?? "";
  return async () => {
    await srv.stop();
  };
}
