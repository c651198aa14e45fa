import type { Server as HttpsServer } from "node:https";
import type { FastifyBaseLogger } from "fastify";
import type { TlsSettings } from "../config/index.js";
import { readTlsFiles } from "./read-tls-files.js";
import { describeTlsMaterial, type TlsMaterial } from "./tls-material.js";

// SIGHUP: read the certificate files again and serve the new certificate to new connections
// (open ones keep theirs). A file that is missing, broken or does not match its key is logged
// and the certificate in use stays: a renewal that went wrong must not take the server down.

export type TlsReloadOutcome =
  | { outcome: "reloaded"; material: TlsMaterial }
  | { outcome: "unchanged"; material: TlsMaterial }
  | { outcome: "kept"; error: Error }
  | { outcome: "nothing-to-reload" };

export interface TlsReloader {
  reload(): Promise<TlsReloadOutcome>;
}

export function createTlsReloader(options: {
  server: HttpsServer;
  tls: TlsSettings;
  current: TlsMaterial;
  logger: FastifyBaseLogger;
}): TlsReloader {
  const { server, tls, logger } = options;
  let current = options.current;
  let running: Promise<TlsReloadOutcome> | null = null;

  async function reloadOnce(): Promise<TlsReloadOutcome> {
    if (tls.mode !== "files") {
      logger.info("SIGHUP: the ad-hoc certificate is made at start; there are no files to reload");
      return { outcome: "nothing-to-reload" };
    }
    let next: TlsMaterial;
    try {
      next = await readTlsFiles(tls.certFile, tls.keyFile);
    } catch (error) {
      logger.error(
        { reason: (error as Error).message, ...describeTlsMaterial(current) },
        "TLS certificate not reloaded: the certificate in use stays",
      );
      return { outcome: "kept", error: error as Error };
    }
    try {
      server.setSecureContext({ cert: next.cert, key: next.key });
    } catch (error) {
      logger.error(
        { reason: (error as Error).message, ...describeTlsMaterial(current) },
        "TLS certificate not reloaded: the certificate in use stays",
      );
      return { outcome: "kept", error: error as Error };
    }
    const changed = next.fingerprint256 !== current.fingerprint256;
    current = next;
    warnIfExpiring(next, logger);
    logger.info(
      describeTlsMaterial(next),
      changed ? "TLS certificate reloaded" : "TLS certificate reloaded (unchanged)",
    );
    return { outcome: changed ? "reloaded" : "unchanged", material: next };
  }

  return {
    reload() {
      // Signals in quick succession: one read at a time, the last one wins.
      const previous = running ?? Promise.resolve(null);
      const next = previous.then(reloadOnce, reloadOnce);
      running = next;
      return next;
    },
  };
}

/** An expired or soon-expiring certificate is served (clients decide), but the log says so. */
export function warnIfExpiring(
  material: TlsMaterial,
  logger: FastifyBaseLogger,
  now = Date.now(),
): void {
  const daysLeft = (material.validTo.getTime() - now) / 86_400_000;
  if (daysLeft < 0) {
    logger.error(describeTlsMaterial(material), "the TLS certificate has expired: renew it");
  } else if (daysLeft < 14) {
    logger.warn(
      { ...describeTlsMaterial(material), daysLeft: Math.floor(daysLeft) },
      "the TLS certificate expires soon: renew it",
    );
  }
}
