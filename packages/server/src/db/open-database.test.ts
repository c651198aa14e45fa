import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DatabaseNotInitialisedError,
  DatabaseUnreachableError,
  DatabaseUrlInvalidError,
} from "./errors.js";
import { applyMigrations, assertDatabaseMigrated } from "./migrations.js";
import { openDatabase } from "./open-database.js";
import { sqliteBusyTimeoutMs } from "./sqlite-adapter.js";

describe("openDatabase", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "tokenleader-open-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the SQLite file (0600) and its missing directories, in WAL mode", async () => {
    const file = path.join(dir, "data", "nested", "tokenleader.db");
    const db = await openDatabase(`file:${file}`);
    try {
      expect(db.provider).toBe("sqlite");
      expect(db.url).toBe(`file:${file}`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const [mode] =
        await db.prisma.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
      expect(mode?.journal_mode).toBe("wal");
      const [fk] =
        await db.prisma.$queryRawUnsafe<{ foreign_keys: unknown }[]>("PRAGMA foreign_keys");
      expect(Number(fk?.foreign_keys)).toBe(1);
      const [busy] = await db.prisma.$queryRawUnsafe<{ timeout: unknown }[]>("PRAGMA busy_timeout");
      expect(Number(busy?.timeout)).toBe(sqliteBusyTimeoutMs);
      const [sync] =
        await db.prisma.$queryRawUnsafe<{ synchronous: unknown }[]>("PRAGMA synchronous");
      expect(Number(sync?.synchronous)).toBe(1); // NORMAL
    } finally {
      await db.close();
    }
  });

  it("a read-then-write transaction waits for another process's write lock instead of failing", async () => {
    const file = path.join(dir, "busy.db");
    const db = await openDatabase(`file:${file}`);
    try {
      await applyMigrations(db);
      // Another process takes the write lock and holds it for a moment. A deferred BEGIN would
      // fail at the upgrade with "Operation has timed out" at once (the busy handler does not
      // apply there); BEGIN IMMEDIATE waits for the lock.
      const holder = spawn(
        process.execPath,
        [
          "-e",
          `const db = new (require("better-sqlite3"))(${JSON.stringify(file)});
           db.exec("BEGIN IMMEDIATE");
           db.prepare("INSERT INTO role (rolename, created_at, updated_at) VALUES ('holder', 0, 0)").run();
           process.stdout.write("locked\\n");
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 700);
           db.exec("COMMIT");`,
        ],
        { cwd: path.dirname(fileURLToPath(import.meta.url)), stdio: ["ignore", "pipe", "inherit"] },
      );
      const exited = new Promise<number | null>((resolve) => holder.once("exit", resolve));
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("locked")) resolve();
        });
        holder.once("exit", (code) => reject(new Error(`lock holder exited with ${code}`)));
      });
      const created = await db.prisma.$transaction(async (tx) => {
        expect(await tx.role.findUnique({ where: { name: "waiter" } })).toBeNull();
        return tx.role.create({ data: { name: "waiter" } });
      });
      expect(created.name).toBe("waiter");
      expect(await exited).toBe(0);
      const names = (await db.prisma.role.findMany()).map((r) => r.name).sort();
      expect(names).toEqual(["holder", "waiter"]);
    } finally {
      await db.close();
    }
  });

  it("accepts the original's sqlite:////abs/path form and reopens a migrated file", async () => {
    const file = path.join(dir, "legacy.db");
    const first = await openDatabase(`sqlite:///${file}`);
    await applyMigrations(first);
    await first.prisma.role.create({ data: { name: "role1" } });
    await first.close();
    await first.close(); // closing twice is harmless

    const again = await openDatabase(`file:${file}`);
    try {
      await assertDatabaseMigrated(again);
      expect((await again.prisma.role.findMany()).map((r) => r.name)).toEqual(["role1"]);
    } finally {
      await again.close();
    }
  });

  it("with create: false refuses a missing SQLite file as DB_NOT_INITIALISED and creates nothing", async () => {
    const file = path.join(dir, "absent", "tokenleader.db");
    const error = await openDatabase(`file:${file}`, { create: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseNotInitialisedError);
    expect((error as Error).message).toBe(
      `database at file:${file} is not initialised: run adminops initdb`,
    );
    expect(existsSync(path.join(dir, "absent"))).toBe(false);

    // An existing file opens as usual.
    await openDatabase(`file:${file}`).then((db) => db.close());
    await openDatabase(`file:${file}`, { create: false }).then((db) => db.close());
  });

  it("reports a file that is not an SQLite database as DB_UNREACHABLE naming the file", async () => {
    const file = path.join(dir, "garbage.db");
    await writeFile(file, "this is not a database, just text ".repeat(200));
    const error = await openDatabase(`file:${file}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as DatabaseUnreachableError).code).toBe("DB_UNREACHABLE");
    expect((error as Error).message).toMatch(
      new RegExp(`^cannot reach the database at file:${file}: .*not a database`),
    );
  });

  it("reports a SQLite path whose directory cannot be created as DB_UNREACHABLE", async () => {
    const blocker = path.join(dir, "a-file");
    await writeFile(blocker, "");
    const error = await openDatabase(`file:${blocker}/sub/tokenleader.db`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect(existsSync(`${blocker}/sub`)).toBe(false);
  });

  it("reports an unreachable PostgreSQL server as DB_UNREACHABLE without the password", async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const error = await openDatabase("postgresql://tl:s3cr3t-pw@127.0.0.1:1/tokenleader").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as DatabaseUnreachableError).code).toBe("DB_UNREACHABLE");
    const message = (error as Error).message;
    expect(message).toMatch(
      /^cannot reach the database at postgresql:\/\/tl:\*\*\*@127\.0\.0\.1:1\/tokenleader: /,
    );
    expect(message).not.toContain("s3cr3t-pw");
    // One line naming the cause, not Prisma's multi-line "Invalid `prisma…` invocation" text.
    expect(message).not.toContain("\n");
    expect(message).not.toContain("invocation");
  });

  it("rejects URLs of other databases with DB_URL_INVALID, without the password", async () => {
    for (const url of ["mysql://root:hunter2@localhost/db", "", "file:", "nonsense"]) {
      const error = await openDatabase(url).catch((e: unknown) => e);
      expect(error, url).toBeInstanceOf(DatabaseUrlInvalidError);
      expect((error as DatabaseUrlInvalidError).code).toBe("DB_URL_INVALID");
      expect((error as Error).message).not.toContain("hunter2");
    }
  });
});
