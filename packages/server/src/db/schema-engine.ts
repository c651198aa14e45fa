// Prisma's schema engine (migrations, diffs) compiled to WebAssembly, driven through a driver
// adapter: no native schema-engine binary and no download (see shared/TOOLCHAIN.md).
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm/schema_engine_bg";

type SchemaEngineModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

/** No table or enum is managed outside Prisma. */
export const noSchemaFilter: SchemaFilter = { externalTables: [], externalEnums: [] };

// The WebAssembly global exists in Node, but our lib settings (ES2023, no DOM) do not declare it.
interface WebAssemblyApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let modulePromise: Promise<SchemaEngineModule> | null = null;

// The package's main entry imports its .wasm as an ES module, which Node 20 refuses without a
// flag; so instantiate the .wasm by hand against the JS glue, once per process.
function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  modulePromise ??= (async () => {
    const glue: SchemaEngineModule = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const gluePath = fileURLToPath(
      import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"),
    );
    const wasmBytes = await readFile(gluePath.replace(/\.js$/, ".wasm"));
    const { instance } = await webAssembly.instantiate(wasmBytes, {
      "./schema_engine_bg.js": glue as unknown as Record<string, unknown>,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return glue;
  })();
  modulePromise.catch(() => {
    modulePromise = null;
  });
  return modulePromise;
}

export interface SchemaEngineSession {
  readonly engine: SchemaEngine;
  /** Frees the engine and closes every connection it opened. */
  close(): Promise<void>;
}

/**
 * Starts a schema engine on connections made by `factory`. The engine does not close what it
 * opens, so the factory is wrapped to remember the connections and `close()` disposes them.
 */
export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
): Promise<SchemaEngineSession> {
  const glue = await loadSchemaEngineModule();
  const opened: SqlDriverAdapter[] = [];
  const remember = async (connecting: Promise<SqlDriverAdapter>) => {
    const adapter = await connecting;
    opened.push(adapter);
    return adapter;
  };
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => remember(factory.connect()),
    connectToShadowDb: () => remember(factory.connectToShadowDb()),
  };
  const disposeAll = async () => {
    await Promise.allSettled(opened.splice(0).map((adapter) => adapter.dispose()));
  };
  let engine: SchemaEngine;
  try {
    engine = await glue.SchemaEngine.new(
      { datamodels: undefined },
      // The engine logs its start-up and tracing at INFO; nothing a user needs to see.
      () => {},
      bindMigrationAwareSqlAdapterFactory(tracking),
    );
  } catch (error) {
    await disposeAll();
    throw error;
  }
  return {
    engine,
    async close() {
      engine.free();
      await disposeAll();
    },
  };
}

/** The text of an error thrown by the engine (it throws plain `Error`s, sometimes strings). */
export function schemaEngineErrorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().replace(/\n\s*\n/g, "\n");
}
