import pino, { type Logger } from "pino";
import type { LogLevel } from "../../config/index.js";

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

export function createServerLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: "tokenleader-server",
      level,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}
