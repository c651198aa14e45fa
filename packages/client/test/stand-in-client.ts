// A Client logged in to the stand-in original server, for tests of the admin commands: started
// before the file's tests, closed after them. `current()` is the live instance.
import { afterAll, beforeAll } from "vitest";
import { Client } from "../src/client/client.js";
import { Configs } from "../src/config/configs.js";
import { makeTempDir, writeOriginalTestData } from "./fixtures.js";
import { type OriginalServer, startOriginalServer } from "./original-server.js";

export function useStandInClient(): () => { client: Client; server: OriginalServer } {
  let tmp: ReturnType<typeof makeTempDir> | undefined;
  let server: OriginalServer | undefined;
  let client: Client | undefined;
  beforeAll(async () => {
    tmp = makeTempDir();
    server = await startOriginalServer();
    const files = writeOriginalTestData(tmp.dir, {
      tlUrl: server.url,
      publicKey: server.publicKeyLine,
    });
    client = new Client(new Configs({ configFile: files.configFile }), { warn: () => {} });
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
    tmp?.cleanup();
  });
  return () => {
    if (!client || !server) throw new Error("the stand-in client is used outside a test");
    return { client, server };
  };
}
