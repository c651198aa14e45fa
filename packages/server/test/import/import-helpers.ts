import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCapturedIo } from "@tokenleader/client/terminal";
import Database from "better-sqlite3";
import { runAdminops } from "../../src/cli/adminops/run-adminops.js";

/** A temp directory for one test file; remove it in afterAll. */
export function scratchDirectory(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Writes a SQLite database file from SQL statements. Foreign keys unchecked, as Python's sqlite3
 * (SQLAlchemy under tokenleader 1.x) leaves them: that is how dangling links got into 1.x files.
 */
export function writeSqliteDatabase(file: string, statements: readonly string[]): void {
  const db = new Database(file);
  db.pragma("foreign_keys = OFF");
  try {
    for (const sql of statements) db.exec(sql);
  } finally {
    db.close();
  }
}

/** Runs adminops in-process against `dbUrl`, with a settings file of cheap argon2 parameters. */
export async function runAdminopsOn(
  dbUrl: string,
  args: string[],
  options: { cwd: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const settingsFile = path.join(options.cwd, "tokenleader_settings.ini");
  if (!fs.existsSync(settingsFile)) {
    fs.writeFileSync(settingsFile, "[passwords]\n\tmemory_cost = 7168\n\ttime_cost = 5\n");
  }
  const io = createCapturedIo({});
  const code = await runAdminops([...args, "--db", dbUrl, "--config", settingsFile], io, {
    env: {},
    cwd: options.cwd,
  });
  // Test databases live under /tmp, which adminops rightly warns about; nothing else is dropped.
  const stderr = io.stderr.replace(/^adminops: warning: --db: .* is under \/tmp, .*\n/m, "");
  return { code, stdout: io.stdout, stderr };
}
