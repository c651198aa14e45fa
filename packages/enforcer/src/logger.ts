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

/** Default: problems to stderr, routine events nowhere (a library should not chatter on stdout). */
export const consoleLogger: EnforcerLogger = {
  error: (details, message) => console.error(`[tokenleader-enforcer] ${message}`, details),
  warn: (details, message) => console.warn(`[tokenleader-enforcer] ${message}`, details),
  info: () => {},
};
