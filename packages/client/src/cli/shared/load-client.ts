import { Client } from "../../client/client.js";
import { Configs } from "../../config/configs.js";

/** Configs + Client for a CLI run; the TLS warning goes to stderr as one line. */
export function loadClient(options: { config?: string; user?: string; password?: string }): Client {
  const configs = new Configs({
    configFile: options.config,
    user: options.user,
    password: options.password,
  });
  return new Client(configs, {
    warn: (message) => process.stderr.write(`warning: ${message}\n`),
  });
}
