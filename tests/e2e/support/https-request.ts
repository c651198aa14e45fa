import { request } from "node:https";
import type { TLSSocket } from "node:tls";

// HTTPS requests to a server with a self-signed certificate: verification off (as curl -k), a new
// connection each time (no agent), so the certificate seen is the one served right now.

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** SHA-256 fingerprint of the certificate the server presented (AA:BB:…). */
  fingerprint256: string;
  /** The certificate's subjectAltName, e.g. "DNS:localhost, IP Address:127.0.0.1". */
  subjectAltName: string | undefined;
}

export function httpsRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    verify?: boolean;
  } = {},
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        headers: options.headers,
        rejectUnauthorized: options.verify ?? false,
        agent: false,
        timeout: 10_000,
      },
      (res) => {
        const peer = (res.socket as TLSSocket).getPeerCertificate();
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            fingerprint256: peer.fingerprint256,
            subjectAltName: peer.subjectaltname,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within 10 s`)));
    req.on("error", reject);
    req.end(options.body);
  });
}
