import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { UsersFileStore } from "./users-file-store.js";

const SAMPLE = fileURLToPath(new URL("../../../../../etc/users.yaml", import.meta.url));

it("the shipped etc/users.yaml lets the demo user test/test log in with roles Admin, default", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tl-sample-"));
  const copy = path.join(dir, "users.yaml");
  await fs.copyFile(SAMPLE, copy);
  const store = await UsersFileStore.open({
    path: copy,
    pollIntervalMs: 0,
    upgradeLegacyHashes: false,
  });
  try {
    expect(store.usernames()).toEqual(["test"]);
    expect(await store.authenticate("test", "test")).toEqual({
      ok: true,
      user: { username: "test", roles: ["Admin", "default"], source: "file" },
    });
  } finally {
    store.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});
