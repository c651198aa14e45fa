import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { adminRoutesPlugin } from "../../src/http/admin/index.js";
import { describeEachProvider } from "../helpers/test-databases.js";
import { seedUsers } from "../helpers/test-server.js";
import { createLoginTestServer, InjectClient, type LoginTestServer } from "./login-test-server.js";

const SAMPLE_ACL = fileURLToPath(new URL("../../../../etc/role_to_acl_map.yml", import.meta.url));

// A cookie-login access token copied into X-Auth-Token must stop opening the admin API once its
// session ends — the enforcer there checks the session, not only the signature.
describeEachProvider("admin API refuses access tokens of ended sessions", (ctx) => {
  let server: LoginTestServer;
  beforeAll(async () => {
    server = await createLoginTestServer({
      db: ctx.db,
      ini: { enforcer: { role_to_acl_map_file: SAMPLE_ACL } },
      extraPlugins: [adminRoutesPlugin],
    });
    await server.adminService.addRole("admin");
    await seedUsers(server.adminService, [
      { username: "boss", password: "boss-password-1", roles: ["admin"] },
    ]);
  });
  afterAll(() => server.close());

  it("works before logout and is refused with 401 after it", async () => {
    const browser = new InjectClient(server.app);
    expect((await browser.login("boss", "boss-password-1")).statusCode).toBe(200);
    const access = browser.jar.get("access_token_cookie")!.value;
    const listUsers = () =>
      server.app.inject({ method: "GET", url: "/list/users", headers: { "x-auth-token": access } });

    const before = await listUsers();
    expect(before.statusCode).toBe(200);
    expect(before.json().status.map((u: { username: string }) => u.username)).toContain("boss");

    expect((await browser.post("/logout", { csrf: "access" })).statusCode).toBe(200);
    const after = await listUsers();
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({
      code: "TOKEN_REVOKED",
      message: expect.stringContaining("this endpoint is restricted"),
    });
  });
});
