import { createRequire } from "node:module";
import pino, { type Logger } from "pino";
import type PinoPretty from "pino-pretty";
import { type LogLevel, SettingsError } from "../../config/index.js";

// Secrets never reach the log: passwords, tokens, cookies and auth headers are censored wherever
// a log call might carry them (request headers, bodies, our own detail objects).
const REDACTED_PATHS = [
  "req.headers.authorization",
  'req.headers["x-auth-token"]',
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "password",
  "*.password",
  "auth_token",
  "*.auth_token",
  "token",
  "*.token",
  "body.password",
];

/** `json`: one JSON object per line (log shippers, journald). `pretty`: readable lines for people. */
export type LogFormat = "json" | "pretty";

export const LOG_FORMAT_VARIABLE = "TOKENLEADER_LOG_FORMAT";

/**
 * JSON wherever a program reads the log; readable lines when a person watches it on a terminal.
 * TOKENLEADER_LOG_FORMAT=json|pretty forces either (`auto`, or unset, decides by the terminal).
 */
export function chooseLogFormat(options: { isTTY: boolean; env: NodeJS.ProcessEnv }): LogFormat {
  const forced = options.env[LOG_FORMAT_VARIABLE]?.trim().toLowerCase();
  if (forced === "json" || forced === "pretty") return forced;
  if (forced === undefined || forced === "" || forced === "auto") {
    return options.isTTY ? "pretty" : "json";
  }
  throw new SettingsError([
    `environment variable ${LOG_FORMAT_VARIABLE}: "${options.env[LOG_FORMAT_VARIABLE]}" is not one of json, pretty, auto`,
  ]);
}

export function createServerLogger(
  level: LogLevel,
  destination?: pino.DestinationStream,
  format: LogFormat = "json",
): Logger {
  const options: pino.LoggerOptions = {
    name: "tokenleader-server",
    level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  if (format === "json") return pino(options, destination);
  // Loaded only here, so the JSON path never pays for it. Synchronous, in this thread: no worker
  // transport whose last lines could be lost when the process exits.
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
  return pino(
    options,
    pretty({
      destination: destination ?? 1,
      sync: true,
      translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l",
      ignore: "pid,hostname,name",
    }),
  );
}
