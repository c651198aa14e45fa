import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, isLostConnection } from "./database-faults.js";

// The shapes below are the ones seen from Prisma 7 + adapter-pg / adapter-better-sqlite3 while
// backends were terminated, connections frozen and SQLite files locked (database-faults.test.ts
// under test/ produces them for real).

const prismaKnown = (code: string, cause: object) =>
  Object.assign(new Error("Invalid `prisma.user.findMany()` invocation"), {
    name: "PrismaClientKnownRequestError",
    code,
    meta: { driverAdapterError: { name: "DriverAdapterError", cause } },
  });

describe("isDatabaseUnavailable / isLostConnection", () => {
  it("recognises a terminated backend in every wrapping", () => {
    const terminated = prismaKnown("P2039", {
      kind: "postgres",
      originalCode: "57P01",
      code: "57P01",
    });
    expect(isDatabaseUnavailable(terminated)).toBe(true);
    expect(isLostConnection(terminated)).toBe(true);
    for (const message of [
      "Connection terminated unexpectedly",
      "Client has encountered a connection error and is not queryable",
    ]) {
      expect(isDatabaseUnavailable(new Error(message))).toBe(true);
      expect(isLostConnection(new Error(message))).toBe(true);
    }
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    expect(isLostConnection(new Error("wrapped", { cause: reset }))).toBe(true);
  });

  it("counts timeouts, a busy SQLite file and a refused connection as unavailable, not as lost", () => {
    for (const error of [
      new Error("timeout exceeded when trying to connect"),
      new Error("Query read timeout"),
      prismaKnown("P2010", { kind: "postgres", originalCode: "57014" }),
      prismaKnown("P1008", { kind: "SocketTimeout" }),
      Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }),
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      prismaKnown("P2028", {}),
    ]) {
      expect(isDatabaseUnavailable(error), error.message).toBe(true);
      expect(isLostConnection(error), error.message).toBe(false);
    }
  });

  it("leaves refusals and bugs alone", () => {
    for (const error of [
      prismaKnown("P2002", { kind: "UniqueConstraintViolation" }),
      prismaKnown("P2021", { kind: "TableDoesNotExist" }),
      new TypeError("cannot read properties of undefined"),
      "a string",
      null,
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
      expect(isLostConnection(error)).toBe(false);
    }
  });
});
