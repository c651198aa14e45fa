import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { publicJwk, TEST_ISSUER, type TestSigningKey } from "./tokens.js";

/**
 * A real HTTP server publishing a JWKS, which can be taken down and brought back on the same port
 * to play a token server that restarts.
 */
export interface JwksServer {
  url: string;
  setKeys(keys: TestSigningKey[]): void;
  /** How many times the key set was fetched. */
  readonly fetches: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startJwksServer(keys: TestSigningKey[]): Promise<JwksServer> {
  let published = keys;
  let fetches = 0;
  let port = 0;
  let server: Server | undefined;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((req, res) => {
        // The discovery document, where the enforcer learns the issuer when none is configured.
        if (req.url === "/.well-known/openid-configuration") {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              issuer: TEST_ISSUER,
              jwks_uri: `http://127.0.0.1:${port}/.well-known/jwks.json`,
            }),
          );
          return;
        }
        fetches++;
        if (req.url !== "/.well-known/jwks.json") {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ keys: published.map(publicJwk) }));
      });
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });

  const close = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
      server = undefined;
    });

  await listen();
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    setKeys(next) {
      published = next;
    },
    get fetches() {
      return fetches;
    },
    stop: close,
    start: listen,
  };
}
