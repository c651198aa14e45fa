import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import os from "node:os";
import { generate } from "selfsigned";
import { TlsError } from "./tls-error.js";
import { leafCertificateFacts, type TlsMaterial } from "./tls-material.js";

// `ssl_settings = adhoc`, the original's: a throw-away self-signed certificate made at every start
// (Werkzeug's did the same), for trying the server over HTTPS without a proxy. Clients must skip
// verification (`curl -k`, `ssl_verify: False` in client_configs.yml) or pin this run's
// fingerprint, which the start-up log shows. node:crypto cannot write certificates: `selfsigned`
// (on @peculiar/x509) does. ECDSA P-256: made in milliseconds, where RSA 2048 takes a while.

/** The names the certificate is made for: local ones, the host's, and the public URL's. */
export function adhocCertificateNames(options: { publicUrl: string; host: string }): string[] {
  const names = new Set(["localhost", "127.0.0.1", "::1", os.hostname()]);
  const publicHost = new URL(options.publicUrl).hostname.replace(/^\[|\]$/g, "");
  if (publicHost !== "") names.add(publicHost);
  if (!["0.0.0.0", "::", ""].includes(options.host)) names.add(options.host);
  return [...names].filter((name) => name !== "");
}

export async function generateAdhocCertificate(options: {
  names: readonly string[];
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now?: number;
}): Promise<TlsMaterial> {
  const now = options.now ?? Date.now();
  const commonName = options.names[0] ?? "localhost";
  try {
    const generated = await generate([{ name: "commonName", value: commonName }], {
      keyType: "ec",
      curve: "P-256",
      algorithm: "sha256",
      // A minute back: a client whose clock is a little behind still accepts it.
      notBeforeDate: new Date(now - 60_000),
      notAfterDate: new Date(now + 365 * 24 * 3600_000),
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, critical: true },
        { name: "extKeyUsage", serverAuth: true },
        {
          name: "subjectAltName",
          altNames: options.names.map((name) =>
            isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name },
          ),
        },
      ],
    });
    const leaf = new X509Certificate(generated.cert);
    return {
      cert: generated.cert,
      key: generated.private,
      source: "adhoc",
      ...leafCertificateFacts(leaf),
    };
  } catch (error) {
    throw new TlsError(
      "TLS_ADHOC_FAILED",
      `[flask_default] ssl_settings = adhoc: the self-signed certificate could not be made (${(error as Error).message}); use ssl_settings = files with a certificate of your own`,
    );
  }
}
