import { existsSync } from "node:fs";
import { runAgentOnce, runMaintenance, startHub } from "./hub.mjs";
import { seedHub } from "./seed.mjs";

export const AGENT_ID = "e2e-agent";

/** A real hub with a real agent's server and a seeded 200-filesystem server; torn down after. */
export default async function globalSetup() {
  if (!existsSync(new URL("../dist/index.html", import.meta.url))) {
    throw new Error(
      "frontend/dist is missing: run 'make ui' (or 'npm run build') before the browser tests.",
    );
  }
  const started = Date.now();
  const hub = await startHub();
  try {
    runAgentOnce(hub, AGENT_ID);
    await seedHub(hub.url, hub.apiKey);
    const rolledUp = runMaintenance(hub);
    console.log(
      `e2e hub at ${hub.url} ready in ${Date.now() - started} ms (maintenance ${rolledUp ? "ran" : "not available"})`,
    );
  } catch (error) {
    await hub.stop();
    throw error;
  }
  process.env.E2E_HUB_URL = hub.url;
  process.env.E2E_API_KEY = hub.apiKey;
  process.env.E2E_ADMIN_USERNAME = hub.admin.username;
  process.env.E2E_ADMIN_PASSWORD = hub.admin.password;
  return () => hub.stop();
}
