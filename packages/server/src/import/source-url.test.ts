import { describe, expect, it } from "vitest";
import { parseSourceLocation } from "./source-url.js";

describe("parseSourceLocation (adminops import tokenleader1 --from)", () => {
  it("reads a plain path and SQLAlchemy's sqlite URLs (three slashes relative, four absolute)", () => {
    expect(parseSourceLocation("auth.db", "/srv")).toEqual({
      kind: "sqlite",
      filePath: "/srv/auth.db",
    });
    expect(parseSourceLocation("/tmp/auth.db", "/srv")).toEqual({
      kind: "sqlite",
      filePath: "/tmp/auth.db",
    });
    expect(parseSourceLocation("sqlite:///data/auth.db", "/srv")).toEqual({
      kind: "sqlite",
      filePath: "/srv/data/auth.db",
    });
    expect(parseSourceLocation("sqlite:////tmp/auth.db", "/srv")).toEqual({
      kind: "sqlite",
      filePath: "/tmp/auth.db",
    });
  });

  it("drops SQLAlchemy's +driver from PostgreSQL and MySQL/MariaDB URLs", () => {
    expect(parseSourceLocation("postgresql+psycopg2://tl:pw@db:5432/auth")).toEqual({
      kind: "postgresql",
      connectionString: "postgresql://tl:pw@db:5432/auth",
    });
    expect(parseSourceLocation("postgres://db/auth")).toMatchObject({ kind: "postgresql" });
    for (const url of [
      "mysql://r@h/db",
      "mysql+pymysql://r@h/db",
      "mariadb+mariadbconnector://r@h/db",
    ]) {
      const parsed = parseSourceLocation(url);
      expect(parsed.kind, url).toBe("mysql");
      expect(parsed.kind === "mysql" && parsed.url.hostname).toBe("h");
    }
  });

  it("refuses what it cannot read with a line naming the accepted forms, never the password", () => {
    expect(() => parseSourceLocation("sqlite://")).toThrow(/use "sqlite:\/\/\/\/absolute/);
    expect(() => parseSourceLocation("sqlite:///:memory:")).toThrow(/names no database file/);
    expect(() => parseSourceLocation("oracle://u:secret@h/db")).toThrow(
      /^unsupported source "oracle:\/\/u:\*\*\*@h\/db": give a SQLite file path/,
    );
    expect(() => parseSourceLocation("mysql://u:secret@/db")).toThrow(/invalid database URL/);
    expect(() => parseSourceLocation("  ")).toThrow(/--from is empty/);
  });
});
