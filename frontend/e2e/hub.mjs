// Starts a real hub (and runs a real agent) for browser tests and the UI benchmark.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const FRONTEND = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const REPO = resolve(FRONTEND, "..");
const BIN = join(REPO, ".venv", "bin");

/**
 * @typedef {object} Hub
 * @property {string} url
 * @property {string} apiKey
 * @property {{username: string, password: string}} admin
 * @property {string} dataDir
 * @property {NodeJS.ProcessEnv} env
 * @property {() => Promise<void>} stop stops the hub and removes its data
 * @property {() => Promise<void>} halt stops the hub process, keeping its data and port
 * @property {() => Promise<void>} restart starts a halted hub again on the same data and port
 */

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? done(address.port) : fail(new Error("no port")),
      );
    });
  });
}

/**
 * @param {string} url
 * @param {import("node:child_process").ChildProcess} hub
 * @param {() => string} log
 */
async function waitHealthy(url, hub, log) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (hub.exitCode !== null) throw new Error(`hub exited with ${hub.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/api/v1/system/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`hub did not become healthy in 30 s:\n${log()}`);
}

/** A hub on a temporary database and a free port, serving the built UI at `/`. */
/** @returns {Promise<Hub>} */
export async function startHub() {
  const dataDir = mkdtempSync(join(tmpdir(), "homelab-ui-"));
  const port = await freePort();
  const apiKey = randomBytes(16).toString("hex"); // 32 characters
  // The admin a person signs in with; the hub creates it on its first start.
  const admin = { username: "admin", password: randomBytes(12).toString("hex") };
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    HOMELAB_CMD_DATA_DIR: dataDir,
    HOMELAB_CMD_PORT: String(port),
    HOMELAB_CMD_API_KEY: apiKey,
    HOMELAB_CMD_ADMIN_USERNAME: admin.username,
    HOMELAB_CMD_ADMIN_PASSWORD: admin.password,
    HOMELAB_CMD_UI_DIR: join(FRONTEND, "dist"),
    // Alerts fire at once and are re-checked every second, so browser tests need not wait.
    HOMELAB_CMD_ALERT_HOLD_SECONDS: "0",
    HOMELAB_CMD_ALERT_EVALUATION_SECONDS: "1",
  };
  let output = "";
  /** @type {import("node:child_process").ChildProcess} */
  let hub;
  const launch = async () => {
    hub = spawn(join(BIN, "homelab-cmd"), ["serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
    hub.stdout?.on("data", (chunk) => (output += chunk.toString()));
    hub.stderr?.on("data", (chunk) => (output += chunk.toString()));
    await waitHealthy(url, hub, () => output);
  };
  const halt = async () => {
    if (hub.exitCode !== null) return;
    const exited = new Promise((r) => hub.once("exit", r));
    hub.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (hub.exitCode === null) hub.kill("SIGKILL");
  };
  await launch();
  return {
    url,
    apiKey,
    admin,
    dataDir,
    env,
    halt,
    restart: launch,
    stop: async () => {
      await halt();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `homelab-agent --once` against the hub: this machine becomes a server. */
/**
 * @param {Hub} hub
 * @param {string} serverId
 */
export function runAgentOnce(hub, serverId) {
  const result = spawnSync(join(BIN, "homelab-agent"), ["--once"], {
    env: {
      ...process.env,
      HOMELAB_AGENT_HUB_URL: hub.url,
      HOMELAB_AGENT_API_KEY: hub.apiKey,
      HOMELAB_AGENT_SPOOL_DIR: join(hub.dataDir, "agent-spool"),
      HOMELAB_AGENT_SERVER_ID: serverId,
    },
    encoding: "utf8",
    timeout: 30_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `homelab-agent --once failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/** Runs `homelab-cmd maintenance` (rollups, trends) when the hub has it; false when it does not. */
/**
 * @param {Hub} hub
 * @returns {boolean}
 */
export function runMaintenance(hub) {
  const help = spawnSync(join(BIN, "homelab-cmd"), ["--help"], { env: hub.env, encoding: "utf8" });
  if (!help.stdout.includes("maintenance")) return false;
  const result = spawnSync(join(BIN, "homelab-cmd"), ["maintenance"], {
    env: hub.env,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `homelab-cmd maintenance failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return true;
}

/**
 * Signs a browser context in with the admin's password, as the sign-in form does: the context
 * then holds the hub's session cookie.
 * @param {import("@playwright/test").BrowserContext} context
 * @param {string} url
 * @param {{username: string, password: string}} admin
 */
export async function signInContext(context, url, admin) {
  const response = await context.request.post(`${url}/api/v1/auth/login`, {
    data: admin,
    headers: { "X-Requested-With": "HomelabCmd", Origin: url },
  });
  if (!response.ok())
    throw new Error(`sign-in failed: ${response.status()} ${await response.text()}`);
}
