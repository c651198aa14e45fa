// The slice of a pino logger the login code writes to (Fastify's `app.log` and the CLI loggers
// both fit). Messages never carry passwords or hashes.

export interface LoginLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const silentLoginLogger: LoginLogger = {
  info() {},
  warn() {},
  error() {},
};
