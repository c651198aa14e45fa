import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { expect, it } from "vitest";
import { bootstrapFirstAdmin, INITIAL_PASSWORD_FILE } from "../src/bootstrap/index.js";
import { describeEachProvider } from "./helpers/test-databases.js";
import { createTestServer, seedUsers } from "./helpers/test-server.js";

describeEachProvider("first-start bootstrap", (ctx) => {
  it("creates admin with a random password (printed once, file 0600) that logs in; idempotent", async () => {
    const fresh = await ctx.createDatabase();
    const server = await createTestServer({ db: fresh.db });
    try {
      const first = await bootstrapFirstAdmin(fresh.db, server.adminService, {
        dataDir: server.dataDir,
      });
      if (!first.created) throw new Error("expected the administrator to be created");
      expect(first.username).toBe("admin");
      expect(first.password.length).toBeGreaterThanOrEqual(20);
      expect(first.password).toMatch(/^[A-Za-z0-9]+$/);
      expect(first.passwordFile).toBe(join(server.dataDir, INITIAL_PASSWORD_FILE));
      expect((await stat(first.passwordFile)).mode & 0o777).toBe(0o600);
      expect(await readFile(first.passwordFile, "utf8")).toBe(`${first.password}\n`);

      const response = await server.app.inject({
        method: "POST",
        url: "/token/gettoken",
        payload: { username: "admin", password: first.password },
      });
      expect(response.statusCode).toBe(201);
      expect(decodeJwt(response.json().auth_token).sub).toMatchObject({
        username: "admin",
        roles: ["admin"],
        wfc: { name: "default", org: "default", orgunit: "default", department: "default" },
      });

      const again = await bootstrapFirstAdmin(fresh.db, server.adminService, {
        dataDir: server.dataDir,
      });
      expect(again).toEqual({ created: false });
      expect(await readFile(first.passwordFile, "utf8")).toBe(`${first.password}\n`);
    } finally {
      await server.close();
    }
  });

  it("two servers starting at once: one admin, and the saved password is the one that works", async () => {
    const fresh = await ctx.createDatabase();
    const server = await createTestServer({ db: fresh.db });
    try {
      const results = await Promise.all([
        bootstrapFirstAdmin(fresh.db, server.adminService, { dataDir: server.dataDir }),
        bootstrapFirstAdmin(fresh.db, server.adminService, { dataDir: server.dataDir }),
      ]);
      const winners = results.filter((result) => result.created);
      expect(winners).toHaveLength(1);
      const saved = (await readFile(join(server.dataDir, INITIAL_PASSWORD_FILE), "utf8")).trim();
      const response = await server.app.inject({
        method: "POST",
        url: "/token/gettoken",
        payload: { username: "admin", password: saved },
      });
      expect(response.statusCode).toBe(201);
      // No pending file of the losing process is left behind.
      expect((await readdir(server.dataDir)).filter((name) => name.endsWith(".pending"))).toEqual(
        [],
      );
    } finally {
      await server.close();
    }
  });

  it("two databases get different passwords (never a fixed default)", async () => {
    const passwords: string[] = [];
    for (let i = 0; i < 2; i++) {
      const fresh = await ctx.createDatabase();
      const server = await createTestServer({ db: fresh.db });
      try {
        const result = await bootstrapFirstAdmin(fresh.db, server.adminService, {
          dataDir: server.dataDir,
        });
        if (result.created) passwords.push(result.password);
      } finally {
        await server.close();
      }
    }
    expect(passwords).toHaveLength(2);
    expect(passwords[0]).not.toBe(passwords[1]);
  });

  it("a second database on the same data directory keeps the first one's password file", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "tl-boot-"));
    const servers = [];
    try {
      const results = [];
      for (let i = 0; i < 3; i++) {
        const fresh = await ctx.createDatabase();
        const server = await createTestServer({ db: fresh.db });
        servers.push(server);
        const result = await bootstrapFirstAdmin(fresh.db, server.adminService, { dataDir });
        if (!result.created) throw new Error("expected the administrator to be created");
        results.push(result);
      }
      expect(results.map((result) => result.passwordFile)).toEqual([
        join(dataDir, "initial-admin-password"),
        join(dataDir, "initial-admin-password.2"),
        join(dataDir, "initial-admin-password.3"),
      ]);
      // Each file still holds the password of its own database's administrator.
      for (const [i, result] of results.entries()) {
        const saved = (await readFile(result.passwordFile, "utf8")).trim();
        expect(saved).toBe(result.password);
        const response = await servers[i]!.app.inject({
          method: "POST",
          url: "/token/gettoken",
          payload: { username: "admin", password: saved },
        });
        expect(response.statusCode).toBe(201);
        expect((await stat(result.passwordFile)).mode & 0o777).toBe(0o600);
      }
      expect((await readdir(dataDir)).filter((name) => name.endsWith(".pending"))).toEqual([]);
    } finally {
      for (const server of servers) await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("leaves a database that already has users alone", async () => {
    const fresh = await ctx.createDatabase();
    const server = await createTestServer({ db: fresh.db });
    const dataDir = await mkdtemp(join(tmpdir(), "tl-boot-"));
    try {
      await seedUsers(server.adminService, [{ username: "user1", password: "user1-password" }]);
      expect(await bootstrapFirstAdmin(fresh.db, server.adminService, { dataDir })).toEqual({
        created: false,
      });
      expect(await server.adminService.getUser("admin")).toBeNull();
      await expect(stat(join(dataDir, INITIAL_PASSWORD_FILE))).rejects.toThrow();
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
