import { Client } from "../../client/client.js";
import { Configs } from "../../config/configs.js";
import { timeoutMsFromSeconds } from "./timeout-option.js";

/** Configs + Client for a CLI run; the TLS warning goes to stderr as one line. */
export function loadClient(options: {
  config?: string;
  user?: string;
  password?: string;
  /** --timeout: seconds per HTTP request (default 10). */
  timeout?: number;
}): Client {
  const configs = new Configs({
    configFile: options.config,
    user: options.user,
    password: options.password,
  });
  return new Client(configs, {
    timeoutMs: timeoutMsFromSeconds(options.timeout),
    warn: (message) => process.stderr.write(`warning: ${message}\n`),
  });
}
