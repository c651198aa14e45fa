import { readPackageVersion } from "@tokenleader/client/terminal";
import yargs from "yargs";
import { SYSTEM_SETTINGS_FILE } from "../../config/index.js";

export interface ServerArgs {
  configPath?: string;
  host?: string;
  /** As typed: checked with the settings (`--port: "abc" is not a number; …`). */
  port?: string;
  /** false for --no-migrate; undefined leaves `[server] migrate_on_start` in charge. */
  migrate?: boolean;
  /** --issuer-change: the deployment's issuer (public URL) is changing to this instance's. */
  issuerChange?: boolean;
  /** As typed ("auto" or a number): checked with the settings, naming --workers. */
  workers?: string;
}

export async function parseServerArgs(args: string[]): Promise<ServerArgs> {
  const argv = await yargs(args)
    .scriptName("tokenleader-server")
    .usage(
      "$0 [options]\n\nRuns the tokenleader token server (alias: tokenleader-start). " +
        "Applies pending database migrations, creates the deployment's signing key and a first administrator " +
        "when there are none, and serves until SIGTERM/SIGINT.",
    )
    .option("config", {
      type: "string",
      // The order locateSettingsFile() follows.
      describe: `settings file (tokenleader_settings.ini); default: $TOKENLEADER_CONFIG, else ${SYSTEM_SETTINGS_FILE} if it exists, else built-in development defaults`,
    })
    .option("host", {
      type: "string",
      describe: "address to listen on ([flask_default] host_name)",
    })
    // A string, not yargs' number: "abc" would become NaN and lose what the user typed.
    .option("port", { type: "string", describe: "port to listen on ([flask_default] host_port)" })
    .option("migrate", {
      type: "boolean",
      describe: "apply pending database migrations at start (--no-migrate: do not)",
    })
    .option("issuer-change", {
      type: "boolean",
      describe:
        "accept and record this instance's issuer ([server] public_url) when it differs from the one recorded for the deployment",
    })
    // A string, like --port: the settings check it ("auto" or 1..256) and name the flag.
    .option("workers", {
      type: "string",
      describe:
        'server processes sharing the port: a number, or "auto" for one per core ([server] workers; default 1). ' +
        "More than 1 starts a primary that runs the one-time start work, keeps that many workers running " +
        "(replacing one that dies) and passes SIGTERM/SIGINT on to them",
    })
    .strict()
    .help()
    // This package's package.json: three folders up from src/cli/<name>/ and dist/cli/<name>/ alike.
    .version(readPackageVersion(new URL("../../../package.json", import.meta.url)))
    .parseAsync();
  return {
    configPath: argv.config,
    host: argv.host,
    port: argv.port,
    migrate: argv.migrate,
    issuerChange: argv.issuerChange,
    workers: argv.workers,
  };
}
