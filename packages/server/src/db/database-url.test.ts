import { describe, expect, it } from "vitest";
import { parseDatabaseUrl, redactDatabaseUrl, scrubPasswords } from "./database-url.js";

describe("parseDatabaseUrl", () => {
  it("maps file:, sqlite:/// and postgres URLs to their provider", () => {
    expect(parseDatabaseUrl("file:/var/lib/tl.db")).toEqual({
      provider: "sqlite",
      filePath: "/var/lib/tl.db",
    });
    expect(parseDatabaseUrl("sqlite:////tmp/auth.db")).toEqual({
      provider: "sqlite",
      filePath: "/tmp/auth.db",
    });
    expect(parseDatabaseUrl("file:var/tokenleader.db", "/srv/app")).toEqual({
      provider: "sqlite",
      filePath: "/srv/app/var/tokenleader.db",
    });
    expect(parseDatabaseUrl("postgres://u@h/db")).toEqual({
      provider: "postgresql",
      connectionString: "postgres://u@h/db",
    });
  });

  it("accepts file:///abs and sqlite:/// relative paths", () => {
    expect(parseDatabaseUrl("file:///var/lib/tl.db")).toEqual({
      provider: "sqlite",
      filePath: "/var/lib/tl.db",
    });
    expect(parseDatabaseUrl("sqlite:///var/tl.db", "/srv")).toEqual({
      provider: "sqlite",
      filePath: "/srv/var/tl.db",
    });
  });

  it("refuses in-memory and parameterised SQLite URLs, naming the problem", () => {
    for (const url of ["file::memory:", "sqlite:///:memory:", "file:"]) {
      expect(() => parseDatabaseUrl(url), url).toThrow(/names no database file/);
    }
    expect(() => parseDatabaseUrl("file:/x.db?mode=ro")).toThrow(
      /query parameters are not supported/,
    );
    expect(() => parseDatabaseUrl("sqlite://x.db")).toThrow(/four slashes/);
  });

  it("refuses PostgreSQL URLs without a host, and malformed ones", () => {
    expect(() => parseDatabaseUrl("postgresql:///db")).toThrow(/names no host/);
    expect(() => parseDatabaseUrl("postgresql://u:pw@[bad/db")).toThrow(
      /invalid PostgreSQL database URL/,
    );
  });
});

describe("redactDatabaseUrl", () => {
  it("hides passwords in the user part and in parameters", () => {
    expect(redactDatabaseUrl("postgresql://tl:secret@db:5432/tl")).toBe(
      "postgresql://tl:***@db:5432/tl",
    );
    expect(redactDatabaseUrl("postgresql://db/tl?user=tl&password=secret")).toBe(
      "postgresql://db/tl?user=tl&password=***",
    );
    expect(redactDatabaseUrl("postgresql://tl@db/tl")).toBe("postgresql://tl@db/tl");
    expect(redactDatabaseUrl("file:/var/tl.db")).toBe("file:/var/tl.db");
    expect(redactDatabaseUrl("postgresql://tl:sec ret@[x/tl")).not.toContain("sec ret");
  });

  it("scrubs a URL's password from driver messages", () => {
    expect(scrubPasswords("auth failed for p%40ss and p@ss", "postgresql://u:p%40ss@h/db")).toBe(
      "auth failed for *** and ***",
    );
  });
});
