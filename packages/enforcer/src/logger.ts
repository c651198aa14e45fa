/**
 * The logging surface the enforcer needs. Matches pino's `(object, message)` call style, so a pino
 * or Fastify logger can be passed as is.
 */
export interface EnforcerLogger {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
  debug?(details: object, message: string): void;
}

/**
 * Default: problems and the rare events an operator wants to see (an ACL reload) to stderr;
 * per-request details (debug) nowhere. Never stdout, which belongs to the application.
 */
export const consoleLogger: EnforcerLogger = {
  error: (details, message) => console.error(`[tokenleader-enforcer] ${message}`, details),
  warn: (details, message) => console.warn(`[tokenleader-enforcer] ${message}`, details),
  info: (details, message) => console.error(`[tokenleader-enforcer] ${message}`, details),
};
