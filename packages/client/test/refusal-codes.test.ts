import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError } from "../src/errors.js";
import { createHttpTransport, type HttpTransport } from "../src/http/http-transport.js";

const RESTRICTED =
  "this endpoint is restricted , authenticaton or authorization failed \npossible reasons: \n  1.access configuration in role_acl_map.yml \n2. missing public key  in the client config file ";

// 4xx answers with a JSON body are refusals with their own codes; BAD_RESPONSE stays for bodies
// that are not JSON. A real local HTTP server answers each path with its status and body.

const ANSWERS: Record<string, [number, string]> = {
  "/400": [400, JSON.stringify({ message: "oname is required", code: "VALIDATION_FAILED" })],
  "/404": [404, JSON.stringify({ status: "No such record", message: 'user "x" not found' })],
  "/409": [409, JSON.stringify({ message: 'org "o1" already exists', code: "ALREADY_EXISTS" })],
  "/413": [413, JSON.stringify({ message: "request body too large" })],
  "/422": [422, JSON.stringify({ message: 'role "ghost" does not exist' })],
  "/429": [429, JSON.stringify({ login: false, msg: "slow down" })],
  "/404-bare": [404, "{}"],
  "/404-html": [404, "<h1>Not Found</h1>"],
  "/302": [302, "{}"],
  // The enforcer's denials: the same generic `message` for every cause, the cause in `reason`.
  "/403": [
    403,
    JSON.stringify({
      message: RESTRICTED,
      reason:
        "none of the roles [role1] is allowed rule 'tokenleader.adminops.adminops_restapi.list_wfc'",
      code: "RULE_NOT_GRANTED",
    }),
  ],
  "/401": [
    401,
    JSON.stringify({ message: RESTRICTED, reason: "the token has expired", code: "TOKEN_EXPIRED" }),
  ],
  "/503": [
    503,
    JSON.stringify({
      message: RESTRICTED,
      reason: "the token verifier is unavailable",
      code: "VERIFIER_UNAVAILABLE",
    }),
  ],
  "/403-message-only": [403, JSON.stringify({ message: "go away" })],
};

let server: Server;
let base: string;
let http: HttpTransport;
beforeAll(async () => {
  server = createServer((req, res) => {
    const [status, body] = ANSWERS[req.url ?? ""] ?? [500, "?"];
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  http = createHttpTransport();
});
afterAll(async () => {
  await http.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failure(path: string): Promise<ClientError> {
  try {
    await http.requestJson("GET", `${base}${path}`);
  } catch (err) {
    expect(err).toBeInstanceOf(ClientError);
    return err as ClientError;
  }
  throw new Error(`GET ${path} did not fail`);
}

describe("refusal codes", () => {
  it.each([
    ["/400", "INVALID_REQUEST", "oname is required"],
    ["/404", "NOT_FOUND", 'user "x" not found'],
    ["/409", "CONFLICT", 'org "o1" already exists'],
    ["/413", "INVALID_REQUEST", "request body too large"],
    ["/422", "INVALID_REQUEST", 'role "ghost" does not exist'],
    ["/429", "RATE_LIMITED", "slow down"],
  ])("%s → %s, the server's sentence first, status and body kept", async (path, code, says) => {
    const err = await failure(path);
    const status = Number(path.slice(1));
    expect(err.code).toBe(code);
    expect(err.httpStatus).toBe(status);
    expect(err.message).toBe(`${says} (HTTP ${status} from GET ${base}${path})`);
    expect(err.body).toEqual(JSON.parse(ANSWERS[path]![1]));
  });

  it("a JSON refusal without a sentence still gets its code", async () => {
    const err = await failure("/404-bare");
    expect(err.code).toBe("NOT_FOUND");
    expect(err.message).toBe(`GET ${base}/404-bare: HTTP 404`);
  });

  it("BAD_RESPONSE stays for bodies that are not JSON and for unexpected statuses", async () => {
    const html = await failure("/404-html");
    expect(html.code).toBe("BAD_RESPONSE");
    expect(html.message).toBe(`GET ${base}/404-html: HTTP 404 with a body that is not JSON`);
    const redirect = await failure("/302");
    expect(redirect.code).toBe("BAD_RESPONSE");
  });
});

describe("the server's reason and code are kept", () => {
  it.each([
    [
      "/403",
      "AUTH",
      403,
      "RULE_NOT_GRANTED",
      "none of the roles [role1] is allowed rule 'tokenleader.adminops.adminops_restapi.list_wfc'",
    ],
    ["/401", "AUTH", 401, "TOKEN_EXPIRED", "the token has expired"],
    ["/503", "SERVER", 503, "VERIFIER_UNAVAILABLE", "the token verifier is unavailable"],
  ])(
    "%s → %s with `HTTP <status> <code>: <reason>`, not the generic message",
    async (path, code, status, serverCode, reason) => {
      const err = await failure(path);
      expect(err.code).toBe(code);
      const prefix = status >= 500 ? "server error " : "";
      expect(err.message).toBe(
        `GET ${base}${path}: ${prefix}HTTP ${status} ${serverCode}: ${reason}`,
      );
      expect(err.message).not.toContain("restricted");
      expect({ serverCode: err.serverCode, reason: err.reason }).toEqual({ serverCode, reason });
    },
  );

  it("a denial without a reason still shows the server's message", async () => {
    const err = await failure("/403-message-only");
    expect(err.message).toBe(`GET ${base}/403-message-only: HTTP 403: go away`);
    expect({ serverCode: err.serverCode, reason: err.reason }).toEqual({
      serverCode: undefined,
      reason: undefined,
    });
  });

  it("the code of other refusals is kept too", async () => {
    expect((await failure("/409")).serverCode).toBe("ALREADY_EXISTS");
  });
});
