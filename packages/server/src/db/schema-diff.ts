// SQL diffs between schemas, computed by the WebAssembly schema engine. Used to write new
// migrations (db-migration CLI) and to prove committed migrations match the models (drift test).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
} from "@prisma/driver-adapter-utils";
import type { DiffTarget } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { createAdapterFactory } from "./adapter-factory.js";
import { type DatabaseProvider, parseDatabaseUrl, scrubPasswords } from "./database-url.js";
import { DatabaseMigrationFailedError } from "./errors.js";
import { composeSchema } from "./migration-files.js";
import type { Database } from "./open-database.js";
import { noSchemaFilter, openSchemaEngine, schemaEngineErrorMessage } from "./schema-engine.js";

/** A migration script that changes nothing (the engine still writes a comment). */
export function isEmptyMigrationScript(sql: string): boolean {
  return sql
    .split("\n")
    .map((line) => line.trim())
    .every((line) => line === "" || line.startsWith("--"));
}

/**
 * The SQL that turns a database built from `fromModels` (null: an empty database) into one built
 * from `toModels`. Needs no database: the engine only compares the two definitions.
 */
export async function diffModels(
  provider: DatabaseProvider,
  fromModels: string | null,
  toModels: string,
): Promise<string> {
  // The engine wants a connection even for a pure diff; give it one that needs no server.
  const factory: SqlMigrationAwareDriverAdapterFactory =
    provider === "sqlite"
      ? new PrismaBetterSqlite3({ url: ":memory:" })
      : offlinePostgresAdapterFactory();
  const from: DiffTarget =
    fromModels === null
      ? { tag: "empty" }
      : { tag: "schemaDatamodel", files: [schemaFile(provider, fromModels)] };
  return runDiff(factory, from, {
    tag: "schemaDatamodel",
    files: [schemaFile(provider, toModels)],
  });
}

/** The SQL that would bring the live database `db` to the schema of `models` (drift check). */
export async function diffDatabaseToModels(db: Database, models: string): Promise<string> {
  const file = schemaFile(db.provider, models);
  const factory = createAdapterFactory(parseDatabaseUrl(db.url));
  if (db.provider === "sqlite") await db.prisma.$disconnect(); // see applyMigrations
  try {
    return await runDiff(
      db.provider === "postgresql" ? withCharColumnsAsText(factory) : factory,
      { tag: "schemaDatasource", files: [file], configDir: process.cwd() },
      { tag: "schemaDatamodel", files: [file] },
    );
  } catch (error) {
    throw new DatabaseMigrationFailedError(scrubPasswords((error as Error).message, db.url), {
      cause: error,
    });
  }
}

/**
 * A PostgreSQL "connection" that only answers the engine's start-up probe (schema exists, server
 * version), so a developer can create migrations without a PostgreSQL server. Anything else fails
 * loudly; a pure diff asks nothing else.
 */
function offlinePostgresAdapterFactory(): SqlMigrationAwareDriverAdapterFactory {
  const offline = (what: string) =>
    Promise.reject(new Error(`offline PostgreSQL adapter cannot run ${what}`));
  const adapter: SqlDriverAdapter = {
    provider: "postgres",
    adapterName: "tokenleader-offline-postgres",
    queryRaw: (query) =>
      query.sql.includes("version()")
        ? Promise.resolve({
            columnNames: ["exists", "version", "numeric_version"],
            columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
            rows: [[true, "PostgreSQL 16.0 (offline diff)", 160000]],
          })
        : offline(query.sql),
    executeRaw: (query) => offline(query.sql),
    executeScript: () => offline("a script"),
    startTransaction: () => offline("a transaction"),
    dispose: () => Promise.resolve(),
  };
  return {
    provider: "postgres",
    adapterName: adapter.adapterName,
    connect: () => Promise.resolve(adapter),
    connectToShadowDb: () => Promise.resolve(adapter),
  };
}

// Columns of PostgreSQL's catalogue typed "char" (a one-byte internal type) that the engine reads
// when it describes a live schema. @prisma/adapter-pg 7.10 rejects that type
// (UnsupportedNativeDataType), so describing a PostgreSQL database fails; casting these columns
// to text in the engine's catalogue queries gives it the same values.
const postgresCharColumns =
  /\b(\w+\.(?:contype|confdeltype|confupdtype|confmatchtype|attidentity|attgenerated|relkind|relpersistence|relreplident|typtype|typcategory|prokind|provolatile|polcmd))\b(?!::)/g;

function withCharColumnsAsText(
  factory: SqlMigrationAwareDriverAdapterFactory,
): SqlMigrationAwareDriverAdapterFactory {
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    new Proxy(adapter, {
      get(target, property, receiver) {
        if (property === "queryRaw") {
          return (query: SqlQuery) =>
            target.queryRaw({ ...query, sql: query.sql.replace(postgresCharColumns, "$1::text") });
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}

function schemaFile(provider: DatabaseProvider, models: string) {
  return { path: "schema.prisma", content: composeSchema(provider, models) };
}

async function runDiff(
  factory: SqlMigrationAwareDriverAdapterFactory,
  from: DiffTarget,
  to: DiffTarget,
): Promise<string> {
  const session = await openSchemaEngine(factory);
  try {
    const result = await session.engine.diff({
      from,
      to,
      script: true,
      exitCode: null,
      filters: noSchemaFilter,
    });
    return result.stdout ?? "";
  } catch (error) {
    throw new DatabaseMigrationFailedError(
      `computing the schema diff failed: ${schemaEngineErrorMessage(error)}`,
      { cause: error },
    );
  } finally {
    await session.close();
  }
}
