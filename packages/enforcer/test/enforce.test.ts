import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAPTERS, barrier, call, type RunningApp, startApp } from "./support/apps.js";
import {
  generateSigningKey,
  mintHs256Token,
  mintToken,
  subject,
  TEST_ISSUER,
  tamperPayload,
} from "./support/tokens.js";

/** The original enforcer's denial text, byte for byte (reference §6.4), typos and spaces included. */
const RESTRICTED_MESSAGE =
  "this endpoint is restricted , authenticaton or authorization failed \npossible reasons: \n  1.access configuration in role_acl_map.yml \n2. missing public key  in the client config file ";

const key = generateSigningKey();
const otherKey = generateSigningKey();

const ACL = [
  { name: "role1", allow: ["tokenleader.adminops.adminops_restapi.list_users"] },
  { name: "role2", allow: ["service1:third_api:rulename3"] },
  { name: "ops", allow: ["tokenleader.*"] },
  { name: "admin", allow: ["tokenleader.*"] },
];

const ROUTES = [
  { method: "GET", path: "/list/users", rule: "tokenleader.adminops.adminops_restapi.list_users" },
  { method: "GET", path: "/list/org", rule: "tokenleader.adminops.adminops_restapi.list_org" },
  { method: "GET", path: "/service", rule: "service1:third_api:rulename3" },
  { method: "POST", path: "/service", rule: "service1:third_api:rulename3" },
] as const;

/** The original's body byte for byte: Python json.dumps, so a space after the colon. */
const COMPAT_BODY =
  '{"message": "this endpoint is restricted , authenticaton or authorization failed \\npossible reasons: \\n  1.access configuration in role_acl_map.yml \\n2. missing public key  in the client config file "}';

describe.each(ADAPTERS)("enforce() in a real %s app", (adapter) => {
  let app: RunningApp;
  let noSuper: RunningApp;
  let compat: RunningApp;
  let cookies: RunningApp;
  let proxied: RunningApp;
  let oneProxy: RunningApp;
  let twoProxies: RunningApp;

  beforeAll(async () => {
    const base = { roleToAclMap: ACL, publicKey: key.publicPem, issuer: TEST_ISSUER };
    app = await startApp(adapter, base, [...ROUTES]);
    noSuper = await startApp(adapter, { ...base, superRoles: [] }, [...ROUTES]);
    compat = await startApp(adapter, { ...base, compat: true }, [...ROUTES]);
    cookies = await startApp(adapter, { ...base, cookie: { enabled: true } }, [...ROUTES]);
    proxied = await startApp(adapter, base, [...ROUTES], { trustProxy: true });
    oneProxy = await startApp(adapter, base, [...ROUTES], { trustProxy: "127.0.0.1" });
    twoProxies = await startApp(adapter, base, [...ROUTES], { trustProxy: "127.0.0.1, 10.0.0.1" });
  });
  afterAll(async () => {
    const apps = [app, noSuper, compat, cookies, proxied, oneProxy, twoProxies];
    await Promise.all(apps.map((a) => a?.close()));
  });

  const get = (target: RunningApp, path: string, headers: Record<string, string> = {}) =>
    call(`${target.url}${path}`, { headers });

  it("admits a role granted the rule and hands the handler its wfc", async () => {
    const token = await mintToken(key, { roles: ["role1"] });
    const res = await get(app, "/list/users", { "X-Auth-Token": token });
    expect(res.status).toBe(200);
    const { wfc, grantedByRole } = res.json();
    expect(grantedByRole).toBe("role1");
    expect(wfc).toMatchObject({
      id: 1,
      name: "wfc1",
      org: "org1",
      orgunit: "ou1",
      department: "dept1",
      username: "user1",
      email: "user1@itc.in",
      roles: ["role1"],
      clientAddress: "127.0.0.1",
    });
    expect(wfc.requestId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(Math.abs(Date.parse(wfc.timestamp) - Date.now())).toBeLessThan(10_000);
  });

  it("accepts Authorization: Bearer as well as X-Auth-Token", async () => {
    const token = await mintToken(key, { roles: ["role1"] });
    const res = await get(app, "/list/users", { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
  });

  it("denies a role without the rule with 403, the original message and a reason", async () => {
    const token = await mintToken(key, { roles: ["role2"] });
    const res = await get(app, "/list/users", { "X-Auth-Token": token });
    expect(res.status).toBe(403);
    expect(res.contentType).toMatch(/^application\/json/);
    const body = res.json();
    expect(body.message).toBe(RESTRICTED_MESSAGE);
    expect(body.message).toContain(
      "this endpoint is restricted , authenticaton or authorization failed",
    );
    expect(body.code).toBe("RULE_NOT_GRANTED");
    expect(body.reason).toContain("role2");
    expect(body.reason).toContain("tokenleader.adminops.adminops_restapi.list_users");
  });

  it("grants every rule under a trailing-* wildcard, and nothing outside it", async () => {
    const token = await mintToken(key, { roles: ["ops"] });
    expect((await get(app, "/list/users", { "X-Auth-Token": token })).status).toBe(200);
    expect((await get(app, "/list/org", { "X-Auth-Token": token })).status).toBe(200);
    expect((await get(app, "/service", { "X-Auth-Token": token })).status).toBe(403);
  });

  it("lets the admin super-role through any rule by default", async () => {
    const token = await mintToken(key, { roles: ["admin"] });
    const res = await get(app, "/service", { "X-Auth-Token": token });
    expect(res.status).toBe(200);
    expect(res.json().grantedByRole).toBe("admin");
  });

  it("with superRoles: [] admin gets only what the ACL file grants it", async () => {
    const token = await mintToken(key, { roles: ["admin"] });
    expect((await get(noSuper, "/service", { "X-Auth-Token": token })).status).toBe(403);
    expect((await get(noSuper, "/list/users", { "X-Auth-Token": token })).status).toBe(200);
  });

  it("answers 401 when no token is sent", async () => {
    const res = await get(app, "/list/users");
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ message: RESTRICTED_MESSAGE, code: "TOKEN_MISSING" });
  });

  it("answers 401 for an empty X-Auth-Token or an empty Bearer", async () => {
    const empty = await get(app, "/list/users", { "X-Auth-Token": "" });
    expect(empty.status).toBe(401);
    expect(empty.json()).toMatchObject({
      code: "TOKEN_EMPTY",
      reason: "the X-Auth-Token header is empty",
    });
    const bearer = await get(app, "/list/users", { Authorization: "Bearer " });
    expect(bearer.status).toBe(401);
    expect(bearer.json().code).toBe("TOKEN_EMPTY");
  });

  it("answers 401 for an expired token", async () => {
    const token = await mintToken(key, { roles: ["role1"], expiresInSec: -10 });
    const res = await get(app, "/list/users", { "X-Auth-Token": token });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ code: "TOKEN_EXPIRED", reason: "the token has expired" });
  });

  it("answers 401 for a tampered token, a foreign key and junk", async () => {
    const token = await mintToken(key, { roles: ["role2"] });
    const promoted = tamperPayload(token, (claims) => {
      (claims.sub as { roles: string[] }).roles = ["admin"];
    });
    const tampered = await get(app, "/list/users", { "X-Auth-Token": promoted });
    expect(tampered.status).toBe(401);
    expect(tampered.json()).toMatchObject({ code: "TOKEN_INVALID" });
    expect(tampered.json().reason).toContain("signature");

    const foreign = await mintToken(otherKey, { roles: ["admin"] });
    expect((await get(app, "/list/users", { "X-Auth-Token": foreign })).status).toBe(401);

    const junk = await get(app, "/list/users", { "X-Auth-Token": `11${token}` });
    expect(junk.status).toBe(401);
    expect(junk.json().code).toBe("TOKEN_INVALID");
  });

  it("rejects algorithms other than the pinned RS512 (RS256 with the right key, HS256)", async () => {
    const rs256 = await mintToken(key, { roles: ["role1"], alg: "RS256" });
    const res = await get(app, "/list/users", { "X-Auth-Token": rs256 });
    expect(res.status).toBe(401);
    expect(res.json().reason).toContain("algorithm");
    const hs256 = await mintHs256Token(key.publicPem, ["admin"]);
    expect((await get(app, "/list/users", { "X-Auth-Token": hs256 })).status).toBe(401);
  });

  it("denies validly signed tokens whose claims lack roles or an object sub, naming the claim", async () => {
    const noRoles = await mintToken(key, { sub: { id: 1, username: "u", wfc: null } });
    const res = await get(app, "/list/users", { "X-Auth-Token": noRoles });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ code: "CLAIMS_INVALID" });
    expect(res.json().reason).toContain("sub.roles");

    const rolesString = await mintToken(key, { sub: { ...subject("u", []), roles: "admin" } });
    const res2 = await get(app, "/list/users", { "X-Auth-Token": rolesString });
    expect(res2.status).toBe(401);
    expect(res2.json().reason).toContain("not a list");

    const stringSub = await mintToken(key, { sub: "user1" });
    const res3 = await get(app, "/list/users", { "X-Auth-Token": stringSub });
    expect(res3.status).toBe(401);
    expect(res3.json().reason).toContain("'sub' is not an object");
  });

  it("gives concurrent requests each their own wfc, also when handlers read it after awaiting", async () => {
    // Every handler awaits a barrier that opens only once all requests were admitted, and reads
    // req.wfc / req.tokenleader afterwards: all contexts are alive at the same time, so one object
    // shared between requests (the original's bug) would show the last user in every answer.
    const count = 40;
    const gate = barrier(count);
    const held = await startApp(
      adapter,
      { roleToAclMap: ACL, publicKey: key.publicPem, issuer: TEST_ISSUER },
      [{ ...ROUTES[0], waitBefore: () => gate.wait() }],
      { trustProxy: "127.0.0.1" },
    );
    try {
      const roles = ["role1", "ops", "admin"];
      const tokens = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          mintToken(key, {
            sub: subject(`user${i}`, [roles[i % 3]!], {
              id: i,
              name: `wfc${i}`,
              org: `org${i}`,
              orgunit: `ou${i}`,
              department: `dept${i}`,
            }),
          }),
        ),
      );
      const answers = await Promise.all(
        tokens.map((token, i) =>
          call(`${held.url}${ROUTES[0].path}`, {
            headers: { "X-Auth-Token": token, "X-Forwarded-For": `198.51.100.${i}` },
          }),
        ),
      );
      answers.forEach((answer, i) => {
        expect(answer.status).toBe(200);
        const body = answer.json();
        expect(body.wfc).toEqual({
          id: i,
          name: `wfc${i}`,
          org: `org${i}`,
          orgunit: `ou${i}`,
          department: `dept${i}`,
          username: `user${i}`,
          email: `user${i}@itc.in`,
          roles: [roles[i % 3]],
          requestId: expect.any(String),
          timestamp: expect.any(String),
          clientAddress: `198.51.100.${i}`,
        });
        expect(body.tokenUsername).toBe(`user${i}`);
        expect(body.grantedByRole).toBe(roles[i % 3]);
      });
      expect(new Set(answers.map((a) => a.json().wfc.requestId)).size).toBe(count);
    } finally {
      await held.close();
    }
  });

  it("leaves unprotected routes without a wfc", async () => {
    const res = await get(app, "/public");
    expect(res.json()).toEqual({ wfc: null });
  });

  it("compat mode answers like the original: HTTP 200, text/html, message only", async () => {
    const denied: Record<string, string>[] = [
      {},
      { "X-Auth-Token": await mintToken(key, { roles: ["role2"] }) },
    ];
    for (const headers of denied) {
      const res = await get(compat, "/list/users", headers);
      expect(res.status).toBe(200);
      expect(res.contentType).toBe("text/html; charset=utf-8");
      expect(res.text).toBe(COMPAT_BODY);
    }
    const ok = await get(compat, "/list/users", {
      "X-Auth-Token": await mintToken(key, { roles: ["role1"] }),
    });
    expect(ok.json().wfc.org).toBe("org1");
  });

  it("takes clientAddress from the socket unless the framework trusts a proxy", async () => {
    const token = await mintToken(key, { roles: ["role1"] });
    const headers = { "X-Auth-Token": token, "X-Forwarded-For": "203.0.113.7, 10.0.0.1" };
    expect((await get(app, "/list/users", headers)).json().wfc.clientAddress).toBe("127.0.0.1");
  });

  it("under the framework's trust proxy = true, the leftmost X-Forwarded-For entry", async () => {
    const token = await mintToken(key, { roles: ["role1"] });
    const headers = { "X-Auth-Token": token, "X-Forwarded-For": "203.0.113.7, 10.0.0.1" };
    expect((await get(proxied, "/list/users", headers)).json().wfc.clientAddress).toBe(
      "203.0.113.7",
    );
    // The documented risk: behind a proxy that appends, the client writes the leftmost entry.
    const forged = { "X-Auth-Token": token, "X-Forwarded-For": "6.6.6.6, 203.0.113.7" };
    expect((await get(proxied, "/list/users", forged)).json().wfc.clientAddress).toBe("6.6.6.6");
    const none = await get(proxied, "/list/users", { "X-Auth-Token": token });
    expect(none.json().wfc.clientAddress).toBe("127.0.0.1");
  });

  it("under the framework's trust proxy = <proxy addresses>, the entry the last trusted proxy added", async () => {
    const token = await mintToken(key, { roles: ["role1"] });
    const address = async (target: RunningApp, forwardedFor?: string) => {
      const headers: Record<string, string> = { "X-Auth-Token": token };
      if (forwardedFor !== undefined) headers["X-Forwarded-For"] = forwardedFor;
      return (await get(target, "/list/users", headers)).json().wfc.clientAddress;
    };
    // One proxy (the test client's loopback) appending the client it saw to what the client sent.
    expect(await address(oneProxy, "6.6.6.6, 203.0.113.7")).toBe("203.0.113.7");
    expect(await address(oneProxy, "203.0.113.7")).toBe("203.0.113.7");
    expect(await address(oneProxy)).toBe("127.0.0.1");
    // Two proxies: the outer one (10.0.0.1) appended the client, the inner one appended it.
    expect(await address(twoProxies, "6.6.6.6, 5.5.5.5, 203.0.113.7, 10.0.0.1")).toBe(
      "203.0.113.7",
    );
    expect(await address(twoProxies, "203.0.113.7")).toBe("203.0.113.7");
  });

  describe("access cookie with double-submit CSRF", () => {
    const cookieToken = (csrf: string, type = "access") =>
      mintToken(key, { roles: ["role2"], extraClaims: { type, csrf, jti: "j1" } });
    const post = (target: RunningApp, headers: Record<string, string>) =>
      call(`${target.url}/service`, { method: "POST", headers });

    it("admits GET with the cookie alone", async () => {
      const token = await cookieToken("c-1");
      const res = await get(cookies, "/service", {
        Cookie: `other=1; access_token_cookie=${token}`,
      });
      expect(res.status).toBe(200);
      expect(res.json().wfc.username).toBe("user1");
    });

    it("on POST requires X-CSRF-TOKEN equal to the token's csrf claim", async () => {
      const token = await cookieToken("c-2");
      const cookie = `access_token_cookie=${token}`;
      const missing = await post(cookies, { Cookie: cookie });
      expect(missing.status).toBe(401);
      expect(missing.json().code).toBe("CSRF_MISSING");
      const wrong = await post(cookies, { Cookie: cookie, "X-CSRF-TOKEN": "c-3" });
      expect(wrong.status).toBe(401);
      expect(wrong.json()).toMatchObject({
        code: "CSRF_MISMATCH",
        reason: "CSRF double submit tokens do not match",
      });
      const ok = await post(cookies, { Cookie: cookie, "X-CSRF-TOKEN": "c-2" });
      expect(ok.status).toBe(200);
    });

    it("refuses a cookie holding a non-access (refresh) token", async () => {
      const token = await cookieToken("c-4", "refresh");
      const res = await get(cookies, "/service", { Cookie: `access_token_cookie=${token}` });
      expect(res.status).toBe(401);
      expect(res.json().code).toBe("COOKIE_TOKEN_NOT_ACCESS");
    });

    it("needs no CSRF header when the token comes in a header", async () => {
      const token = await cookieToken("c-5");
      expect((await post(cookies, { "X-Auth-Token": token })).status).toBe(200);
    });

    it("ignores the cookie when cookie auth is not enabled", async () => {
      const token = await cookieToken("c-6");
      const res = await get(app, "/service", { Cookie: `access_token_cookie=${token}` });
      expect(res.status).toBe(401);
      expect(res.json().code).toBe("TOKEN_MISSING");
    });
  });
});
