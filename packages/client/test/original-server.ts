import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { staticKeySource } from "../src/token/key-source.js";
import {
  generateTestKeyPair,
  mintToken,
  SAMPLE_SUBJECT,
  toOpenSshLine,
} from "../src/token/mint-token.test-helpers.js";
import { verifyToken } from "../src/token/verify-token.js";

/**
 * A stand-in for the Python tokenleader 1.8 server, answering with its exact JSON bodies and status
 * codes (reference §3.2–3.6), on a real listening socket. The real TypeScript server is tested
 * end-to-end elsewhere; this one lets the client be tested against the *original's* wire format.
 */
export interface OriginalServer {
  url: string;
  /** `tl_public_key` value matching the tokens it issues. */
  publicKeyLine: string;
  stats: { logins: number; adminCalls: Array<{ method: string; url: string; body: unknown }> };
  /** Seconds of validity of issued tokens (default 3600). */
  tokenLifetimeSec: number;
  /** When set, /token/gettoken waits this long (timeouts). */
  delayMs: number;
  close(): Promise<void>;
  mintToken(opts?: { expiresInSec?: number }): Promise<string>;
}

/** The enforcer's `message`, identical for every denial (reference §6.4). */
export const ENFORCER_RESTRICTED_MESSAGE =
  "this endpoint is restricted , authenticaton or authorization failed \npossible reasons: \n  1.access configuration in role_acl_map.yml \n2. missing public key  in the client config file ";

const SERVICE_CATALOG = {
  tokenleader: {
    id: 1,
    name: "tokenleader",
    endpoint_url_internal: "localhost:5001",
    endpoint_url_external: null,
    endpoint_url_admin: null,
  },
};

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return undefined;
  return JSON.parse(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
}

export async function startOriginalServer(
  options: { tls?: { dir: string } } = {},
): Promise<OriginalServer & { caCertFile?: string }> {
  const { privateKey, publicKey } = generateTestKeyPair("RS512");
  const keys = staticKeySource(publicKey);
  const state = {
    stats: { logins: 0, adminCalls: [] as OriginalServer["stats"]["adminCalls"] },
    tokenLifetimeSec: 3600,
    delayMs: 0,
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    if (req.method === "POST" && url === "/token/gettoken") {
      if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
      const body = (await readBody(req)) as { username?: string | null; password?: string | null };
      if (body.username === null || body.password === null) {
        return sendJson(res, 200, {
          status: "missing authentication info ",
          message: "no authentication information provided",
        });
      }
      if (body.username !== "user1") {
        return sendJson(res, 200, {
          status: "User not registered",
          message: "user not found, not registered yet",
        });
      }
      if (body.password !== "user1") {
        return sendJson(res, 200, { status: "Wrong Password", message: "Password did not match" });
      }
      state.stats.logins++;
      const token = await mintToken(privateKey, "RS512", { expiresInSec: state.tokenLifetimeSec });
      return sendJson(res, 201, {
        status: "success",
        message: "success",
        auth_token: token,
        service_catalog: SERVICE_CATALOG,
      });
    }
    if (req.method === "GET" && url === "/token/verify_token") {
      const token = req.headers["x-auth-token"];
      if (token === undefined) {
        return sendJson(res, 201, {
          status: "request header  missing 'X-Auth-Token' key or token value",
          message:
            "The request header must carry a 'X-Auth-Token' key whose value should be a valid JWT token  ",
          payload: {},
        });
      }
      // The client's own verifier stands in for the server's: fine for testing how the client and
      // the CLI pass a remote verdict on, meaningless for whether local and server verdicts agree
      // (tests/e2e/client-server.test.ts checks that against the real server).
      const { status, message, payload } = await verifyToken(String(token), keys);
      return sendJson(res, 201, { status, message, payload });
    }
    if (req.method === "GET" && url === "/.well-known/jwks.json") {
      return sendJson(res, 200, {
        keys: [{ ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS512", use: "sig" }],
      });
    }
    if (url === "/broken") {
      res.writeHead(500, { "content-type": "text/html" }).end("<h1>Internal Server Error</h1>");
      return;
    }
    if (url === "/not-json") {
      res.writeHead(200, { "content-type": "text/plain" }).end("hello");
      return;
    }
    // Admin routes: protected like the original (RBAC denial = 200 text/html).
    const token = req.headers["x-auth-token"];
    const verified = token ? await verifyToken(String(token), keys) : null;
    const body = await readBody(req);
    state.stats.adminCalls.push({ method: req.method ?? "", url, body });
    if (verified?.status !== "Verification Successful") {
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end("this endpoint is restricted , authenticaton or authorization failed");
      return;
    }
    const routes: Record<string, () => unknown> = {
      "GET /list/users": () => [SAMPLE_SUBJECT],
      "GET /list/user/user1": () => SAMPLE_SUBJECT,
      "GET /list/user/nobody": () => ({ error: "No such record is found" }),
      "GET /list/org": () => ({ name: "org1" }),
      "GET /list/ou": () => ({ name: "ou1" }),
      "GET /list/dept": () => ({ name: "dept1" }),
      "GET /list/role": () => ({ name: "role1" }),
      "GET /list/wfc": () => ({ name: "wfc1" }),
      "GET /list/services": () => [SERVICE_CATALOG.tokenleader],
      "GET /list/service/tokenleader": () => SERVICE_CATALOG.tokenleader,
      "GET /list/service/nothing": () => ({ msg: "no service record has been registered yet" }),
      "POST /add/org": () => `${(body as { oname: string }).oname} has been registered.`,
      "POST /add/user": () => `${(body as { username: string }).username} has been registered.`,
      "DELETE /delete/org": () =>
        `${(body as { oname: string }).oname} has been  deleted successfully`,
    };
    // How the TypeScript server refuses (4xx with a JSON body), for the client's error codes.
    const refusals: Record<string, [number, unknown]> = {
      "GET /list/service/nope": [
        404,
        {
          status: "no service record has been registered yet",
          message: 'service "nope" not found',
          code: "NOT_FOUND",
        },
      ],
      // The enforcer's denial of a valid token lacking the rule: generic message, cause in reason.
      "GET /list/service/forbidden": [
        403,
        {
          message: ENFORCER_RESTRICTED_MESSAGE,
          reason: "none of the roles [role1] is allowed rule 'tokenleader.catalog.list_services'",
          code: "RULE_NOT_GRANTED",
        },
      ],
      "POST /add/org": [
        409,
        { status: "IntegrityError", message: 'org "taken" already exists', code: "ALREADY_EXISTS" },
      ],
    };
    // POST /update/user exists only on the TypeScript server: answered as it does (the known user
    // is user1, the unknown role "ghost").
    if (req.method === "POST" && url === "/update/user") {
      const update = body as { username?: string; password?: string; roles?: string[] };
      if (update.username !== "user1") {
        return sendJson(res, 404, {
          status: { error: "No such record is found" },
          message: `user "${update.username}" not found`,
          code: "NOT_FOUND",
        });
      }
      if (update.roles?.includes("ghost")) {
        return sendJson(res, 422, {
          status: "refers to something that does not exist",
          message:
            'cannot change the roles of user "user1": role "ghost" does not exist; create it first',
          code: "UNKNOWN_REFERENCE",
          field: "roles",
        });
      }
      return sendJson(res, 200, {
        status: { ...SAMPLE_SUBJECT, roles: update.roles ?? SAMPLE_SUBJECT.roles },
      });
    }
    // POST /revoke/user ("log out everywhere") exists only on the TypeScript server too: the user
    // unchanged, or its refusals (the known user is user1).
    if (req.method === "POST" && url === "/revoke/user") {
      const { username } = body as { username?: string };
      if (username === undefined || username.trim() === "") {
        return sendJson(res, 400, {
          status: "the request is not valid",
          message: "username must not be empty",
          code: "VALIDATION_FAILED",
          field: "username",
        });
      }
      if (username !== "user1") {
        return sendJson(res, 404, {
          status: { error: "No such record is found" },
          message: `user "${username}" not found`,
          code: "NOT_FOUND",
        });
      }
      return sendJson(res, 200, { status: SAMPLE_SUBJECT });
    }
    const refusal = refusals[`${req.method} ${url}`];
    if (refusal && (req.method !== "POST" || (body as { oname?: string })?.oname === "taken")) {
      return sendJson(res, refusal[0], refusal[1]);
    }
    const route = routes[`${req.method} ${url}`];
    if (!route) {
      res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not Found</h1>");
      return;
    }
    return sendJson(res, 200, { status: route() });
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err) => {
      res.writeHead(500).end(String(err));
    });
  };

  let caCertFile: string | undefined;
  let server: ReturnType<typeof createHttpServer>;
  if (options.tls) {
    const keyFile = join(options.tls.dir, "tls-key.pem");
    caCertFile = join(options.tls.dir, "tls-cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        keyFile,
        "-out",
        caCertFile,
      ],
      { stdio: "ignore" },
    );
    server = createHttpsServer(
      { key: readFileSync(keyFile), cert: readFileSync(caCertFile) },
      listener,
    );
  } else {
    server = createHttpServer(listener);
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    publicKeyLine: toOpenSshLine(publicKey, "test@original-server"),
    caCertFile,
    get stats() {
      return state.stats;
    },
    get tokenLifetimeSec() {
      return state.tokenLifetimeSec;
    },
    set tokenLifetimeSec(v: number) {
      state.tokenLifetimeSec = v;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(v: number) {
      state.delayMs = v;
    },
    mintToken: (opts = {}) => mintToken(privateKey, "RS512", opts),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
