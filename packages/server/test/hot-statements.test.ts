import { expect, it } from "vitest";
import { Prisma } from "../src/db/index.js";
import { describeEachProvider } from "./helpers/test-databases.js";

// db.hot runs the login's statements directly on SQLite's connection and through Prisma on
// PostgreSQL. Either way the rows must be the ones Prisma writes and reads.

describeEachProvider("hot statements", (ctx) => {
  it("write a time that Prisma reads back as the same instant", async () => {
    const at = new Date("2026-12-03T16:06:57.235Z");
    const changed = await ctx.db.hot.run(Prisma.sql`
      INSERT INTO "audit_event" ("time", "event_type", "outcome", "actor")
      VALUES (${at}, ${"hot.test"}, ${"success"}, ${"alice"})`);
    expect(changed).toBe(1);
    const row = await ctx.db.prisma.auditEvent.findFirst({ where: { eventType: "hot.test" } });
    expect(row?.time.toISOString()).toBe(at.toISOString());
    // …and one Prisma wrote is found by a time condition in a hot statement.
    await ctx.db.prisma.auditEvent.create({
      data: { time: new Date(at.getTime() + 1000), eventType: "hot.test", outcome: "failure" },
    });
    const later = await ctx.db.hot.all<{ outcome: string }>(Prisma.sql`
      SELECT "outcome" FROM "audit_event"
      WHERE "event_type" = ${"hot.test"} AND "time" > ${at}`);
    expect(later).toEqual([{ outcome: "failure" }]);
  });

  it("return the rows of a write with RETURNING, and count the rows a write changed", async () => {
    const insert = (key: string) =>
      ctx.db.hot.all<{ failures: number | bigint }>(Prisma.sql`
        INSERT INTO "guess_counter" ("scope", "key", "window_start", "failures")
        VALUES (${"account"}, ${key}, ${BigInt(1_764_777_600_000)}, 1)
        RETURNING "failures"`);
    expect((await insert("a")).map((row) => Number(row.failures))).toEqual([1]);
    expect((await insert("b")).map((row) => Number(row.failures))).toEqual([1]);
    // The same statement again (prepared once on SQLite) with other values.
    const changed = await ctx.db.hot.run(Prisma.sql`
      UPDATE "guess_counter" SET "failures" = "failures" + 1 WHERE "key" IN (${"a"}, ${"b"})`);
    expect(changed).toBe(2);
    const rows = await ctx.db.prisma.guessCounter.findMany({ orderBy: { key: "asc" } });
    expect(rows.map((row) => [row.key, row.failures, row.windowStart])).toEqual([
      ["a", 2, BigInt(1_764_777_600_000)],
      ["b", 2, BigInt(1_764_777_600_000)],
    ]);
  });

  it("report a broken statement as an error, not as no rows", async () => {
    await expect(ctx.db.hot.all(Prisma.sql`SELECT "nope" FROM "audit_event"`)).rejects.toThrow(
      /nope/,
    );
  });
});
