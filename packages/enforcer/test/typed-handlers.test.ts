import type { AddressInfo } from "node:net";
import express, { type Request } from "express";
import Fastify, { type FastifyRequest } from "fastify";
import { afterAll, describe, expect, expectTypeOf, it } from "vitest";
import { createEnforcer as createExpressEnforcer } from "../src/express.js";
import { createEnforcer as createFastifyEnforcer } from "../src/fastify.js";
import type { TokenleaderContext, WorkFunctionContext } from "../src/index.js";
import { generateSigningKey, mintToken, TEST_ISSUER } from "./support/tokens.js";

// `protect(rule, handler)` hands the handler a request on which wfc and tokenleader are present:
// this file type-checks under `pnpm lint` (strict tsc), and the handlers also run for real.

const key = generateSigningKey();
const options = {
  roleToAclMap: [{ name: "role1", allow: ["r"] }],
  publicKey: key.publicPem,
  issuer: TEST_ISSUER,
};

describe("Express: enforcer.protect", () => {
  const enforcer = createExpressEnforcer(options);
  const app = express();
  app.get(
    "/typed",
    enforcer.protect("r", (req, res) => {
      expectTypeOf(req.wfc).toEqualTypeOf<WorkFunctionContext>();
      expectTypeOf(req.tokenleader).toEqualTypeOf<TokenleaderContext>();
      res.json({ username: req.wfc.username, rule: req.tokenleader.rule });
    }),
  );
  app.get(
    "/failing",
    enforcer.protect("r", async () => Promise.reject(new Error("boom"))),
  );
  app.use((_err: unknown, _req: Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ handledBy: "error middleware" });
  });
  const server = app.listen(0, "127.0.0.1");
  afterAll(() => {
    enforcer.close();
    server.close();
  });
  const url = (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;

  it("without protect, a plain handler still sees wfc as optional", () => {
    expectTypeOf<Request["wfc"]>().toEqualTypeOf<WorkFunctionContext | undefined>();
  });

  it("runs the handler only for admitted requests, with the context set", async () => {
    const token = await mintToken(key, { roles: ["role1"] });
    const admitted = await fetch(url("/typed"), { headers: { "X-Auth-Token": token } });
    expect(await admitted.json()).toEqual({ username: "user1", rule: "r" });
    const other = await mintToken(key, { roles: ["role2"] });
    const refused = await fetch(url("/typed"), { headers: { "X-Auth-Token": other } });
    expect(refused.status).toBe(403);
  });

  it("passes a handler's rejected promise to the error middleware", async () => {
    const token = await mintToken(key, { roles: ["role1"] });
    const res = await fetch(url("/failing"), { headers: { "X-Auth-Token": token } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ handledBy: "error middleware" });
  });
});

describe("Fastify: enforcer.protect", () => {
  const enforcer = createFastifyEnforcer(options);
  const app = Fastify();
  afterAll(() => app.close());

  it("without protect, a plain handler still sees wfc as nullable", () => {
    expectTypeOf<FastifyRequest["wfc"]>().toEqualTypeOf<WorkFunctionContext | null>();
  });

  it("runs the handler only for admitted requests, typed by the route's generic", async () => {
    await app.register(enforcer.plugin);
    app.get<{ Params: { name: string } }>(
      "/typed/:name",
      enforcer.protect<{ Params: { name: string } }>("r", async (request) => {
        expectTypeOf(request.wfc).toEqualTypeOf<WorkFunctionContext>();
        expectTypeOf(request.tokenleader).toEqualTypeOf<TokenleaderContext>();
        expectTypeOf(request.params.name).toEqualTypeOf<string>();
        return { username: request.wfc.username, name: request.params.name };
      }),
    );
    const token = await mintToken(key, { roles: ["role1"] });
    const admitted = await app.inject({
      url: "/typed/x1",
      headers: { "x-auth-token": token },
    });
    expect(admitted.json()).toEqual({ username: "user1", name: "x1" });
    const refused = await app.inject({ url: "/typed/x1" });
    expect(refused.statusCode).toBe(401);
  });
});
