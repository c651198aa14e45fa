// Entry point of `tokenleader-server` (alias `tokenleader-start`). The only file that exits.
import { hideBin } from "yargs/helpers";
import { SettingsError } from "../../config/index.js";
import { isDatabaseError } from "../../db/index.js";
import { IssuerMismatchError } from "../../deployment/index.js";
import { KeyError } from "../../keys/index.js";
import { TlsError } from "../../tls/index.js";
import { parseServerArgs } from "./parse-args.js";
import { type RunningServer, StartupError, startServer } from "./start-server.js";

const PROGRAM = "tokenleader-server";

function fail(lines: string[], status: number): never {
  for (const line of lines) process.stderr.write(`${PROGRAM}: ${line}\n`);
  process.exit(status);
}

const args = await parseServerArgs(hideBin(process.argv));

let server: RunningServer;
try {
  server = await startServer(args);
} catch (error) {
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

let shuttingDown = false;
function shutdown(signal: NodeJS.Signals): void {
  if (shuttingDown) {
    server.logger.warn({ signal }, "second signal: exiting without waiting");
    process.exit(1);
  }
  shuttingDown = true;
  const timeoutMs = server.settings.server.shutdownTimeoutMs;
  server.logger.info(
    { signal, timeoutMs },
    "shutting down: no new connections, finishing requests",
  );
  const timer = setTimeout(() => {
    server.logger.error({ timeoutMs }, "shutdown timed out: in-flight requests were cut off");
    process.exit(1);
  }, timeoutMs);
  timer.unref();
  server.stop().then(
    () => {
      server.logger.info("stopped");
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
process.on("SIGINT", shutdown);
// SIGHUP reloads (the TLS certificate files) instead of ending the process, as daemons do.
process.on("SIGHUP", () => {
  if (shuttingDown) return;
  server.logger.info({ signal: "SIGHUP" }, "reloading");
  server.reload().catch((error: unknown) => {
    server.logger.error({ err: error }, "reload failed");
  });
});
