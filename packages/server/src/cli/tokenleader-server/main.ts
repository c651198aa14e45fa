// Entry point of `tokenleader-server` (alias `tokenleader-start`). The only file that exits.
import cluster from "node:cluster";
import { hideBin } from "yargs/helpers";
import { SettingsError } from "../../config/index.js";
import { isDatabaseError } from "../../db/index.js";
import { IssuerMismatchError } from "../../deployment/index.js";
import { KeyError } from "../../keys/index.js";
import { serveClusterMetrics } from "../../metrics/index.js";
import { TlsError } from "../../tls/index.js";
import { runClusterPrimary } from "./cluster-primary.js";
import { parseServerArgs } from "./parse-args.js";
import {
  createStartLogger,
  loadServerSettings,
  prepareDeployment,
  type RunningServer,
  StartupError,
  startServer,
} from "./start-server.js";

const PROGRAM = "tokenleader-server";

function fail(lines: string[], status: number): never {
  for (const line of lines) process.stderr.write(`${PROGRAM}: ${line}\n`);
  process.exit(status);
}

/** Start-up errors become one line and exit status 2 (configuration) or 1 (a bug). */
function failStart(error: unknown): never {
  if (error instanceof SettingsError) fail(error.problems, 2);
  if (
    error instanceof KeyError ||
    error instanceof TlsError ||
    error instanceof StartupError ||
    error instanceof IssuerMismatchError ||
    isDatabaseError(error)
  ) {
    fail([(error as Error).message], 2);
  }
  process.stderr.write(`${PROGRAM}: unexpected error during start-up\n`);
  console.error(error);
  process.exit(1);
}

// A cluster worker runs this same file with the same arguments.
const args = await parseServerArgs(hideBin(process.argv));
let settings: ReturnType<typeof loadServerSettings>;
try {
  settings = loadServerSettings(args);
} catch (error) {
  failStart(error);
}

if (cluster.isPrimary && settings.server.workers > 1) {
  const logger = createStartLogger(settings, { logBindings: { role: "primary" } });
  try {
    // Once, here: migrations, keys, the first administrator; a bad configuration stops the
    // start before any worker exists.
    await prepareDeployment({ ...args, settings, logBindings: { role: "primary" } });
  } catch (error) {
    failStart(error);
  }
  // Workers ask the primary for the sum of every worker's metrics at each scrape.
  serveClusterMetrics();
  const status = await runClusterPrimary({
    workers: settings.server.workers,
    logger,
    shutdownTimeoutMs: settings.server.shutdownTimeoutMs,
  });
  logger.info({ status }, "stopped");
  logger.flush?.();
  process.exit(status);
}

const worker = cluster.isWorker ? cluster.worker : undefined;
let server: RunningServer;
try {
  server = await startServer({
    ...args,
    settings,
    ...(worker ? { logBindings: { worker: worker.id } } : {}),
  });
} catch (error) {
  failStart(error);
}

/** Beyond the drain deadline: time to close the app and the database before giving up. */
const CLOSE_MARGIN_MS = 5_000;

let shuttingDown = false;
function shutdown(signal: NodeJS.Signals): void {
  if (shuttingDown) {
    server.logger.warn({ signal }, "second signal: exiting without waiting");
    process.exit(1);
  }
  shuttingDown = true;
  server.logger.info({ signal }, "signal received");
  const timeoutMs = server.settings.server.shutdownTimeoutMs + CLOSE_MARGIN_MS;
  const timer = setTimeout(() => {
    server.logger.error({ timeoutMs }, "shutdown did not finish in time: exiting");
    process.exit(1);
  }, timeoutMs);
  timer.unref();
  server.stop().then(
    (report) => {
      // Requests cut off at the deadline: the exit status says so.
      if (report.destroyedConnections > 0) {
        server.logger.error(report, "shutdown timed out: in-flight requests were cut off");
        server.logger.flush?.();
        process.exit(1);
      }
      server.logger.info(report, "stopped");
      server.logger.flush?.();
      process.exit(0);
    },
    (error: unknown) => {
      server.logger.error({ err: error }, "error while shutting down");
      process.exit(1);
    },
  );
}
process.on("SIGTERM", shutdown);
if (worker) {
  // Ctrl-C reaches the whole process group: the primary decides and passes SIGTERM on, so a
  // worker counting the terminal's SIGINT too would take the forwarded one as a second signal.
  process.on("SIGINT", () => {});
} else {
  process.on("SIGINT", shutdown);
}
// SIGHUP reloads (the TLS certificate files) instead of ending the process, as daemons do; under
// --workers the primary passes it on to every worker.
process.on("SIGHUP", () => {
  if (shuttingDown) return;
  server.logger.info({ signal: "SIGHUP" }, "reloading");
  server.reload().catch((error: unknown) => {
    server.logger.error({ err: error }, "reload failed");
  });
});
