import { adminRoutesPlugin } from "../../packages/server/src/http/admin/index.js";
import { loginRoutesPlugin } from "../../packages/server/src/login/index.js";
import {
  type AdminTestServer,
  createAdminTestServer,
} from "../../packages/server/test/admin/helpers/admin-test-server.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../../packages/server/test/helpers/test-databases.js";

// The attack and fuzz suites' target: a real server app on SQLite with the admin API and the cookie
// login beside the token routes, seeded like the admin API tests (users admin and u1).

export interface FullTestServer extends AdminTestServer {
  database: TestDatabase;
}

export async function createFullTestServer(): Promise<FullTestServer> {
  const database = await createTestDatabase("sqlite");
  const server = await createAdminTestServer({
    db: database.db,
    plugins: [adminRoutesPlugin, loginRoutesPlugin],
  }).catch(async (error: unknown) => {
    await database.cleanup();
    throw error;
  });
  return {
    ...server,
    database,
    async close() {
      await server.close();
      await database.cleanup();
    },
  };
}
