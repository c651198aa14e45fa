import { ClientError, toCompatErrorBody } from "../../errors.js";
import type { CliIo } from "../../terminal/io.js";
import { processIo } from "../../terminal/process-io.js";

/** Bad command-line usage found after parsing (exit status 2, like yargs' own checks). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** How a command prints: readable (default), `--json` for scripts, `--compat` for the original's dicts. */
export type OutputMode = "readable" | "json" | "compat";

export interface GlobalFlags {
  config?: string;
  /** --timeout: seconds per HTTP request to the server (tokenleader only). */
  timeout?: number;
  json?: boolean;
  compat?: boolean;
}

export function outputMode(flags: GlobalFlags): OutputMode {
  if (flags.compat) return "compat";
  if (flags.json) return "json";
  return "readable";
}

export function printJson(value: unknown, io: CliIo = processIo): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = "", io: CliIo = processIo): void {
  io.out(`${text}\n`);
}

/**
 * The `--json` form of an error: the client's `code` and message, plus what the server said when
 * it answered (`httpStatus`, its own `serverCode` and `reason`, e.g. "RULE_NOT_GRANTED" and which
 * role lacks which rule).
 */
export function errorJson(err: unknown): {
  error: {
    code: string;
    message: string;
    httpStatus?: number;
    serverCode?: string;
    reason?: string;
  };
} {
  const message = err instanceof Error ? err.message : String(err);
  if (!(err instanceof ClientError)) return { error: { code: "ERROR", message } };
  return {
    error: {
      code: err.code,
      message,
      ...(err.httpStatus === undefined ? {} : { httpStatus: err.httpStatus }),
      ...(err.serverCode === undefined ? {} : { serverCode: err.serverCode }),
      ...(err.reason === undefined ? {} : { reason: err.reason }),
    },
  };
}

/**
 * One line on stderr, and the exit status. With --compat, the original's
 * `{"error": "could not conect to server , the error is …"}` goes to stdout as well, for scripts that
 * parse it; the status is non-zero regardless (the original's exit 0 on errors is not kept).
 */
export function reportError(
  program: string,
  err: unknown,
  mode: OutputMode,
  io: CliIo = processIo,
): number {
  if (err instanceof UsageError) {
    io.err(`${program}: ${err.message} (see "${program} --help")\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof ClientError ? err.code : "ERROR";
  if (mode === "compat") printJson(toCompatErrorBody(err), io);
  else if (mode === "json") printJson(errorJson(err), io);
  io.err(
    `${program}: ${code === "ERROR" ? "" : `[${code}] `}${message.replace(/\s*\n\s*/g, " ")}\n`,
  );
  return 1;
}

/** Renders rows of objects as an aligned text table. */
export function formatTable(rows: Array<Record<string, unknown>>, columns?: string[]): string {
  if (rows.length === 0) return "(none)";
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => cols.map((c) => formatCell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(cols), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(formatCell).join(",");
  if (typeof value === "object") {
    const named = (value as { name?: unknown }).name;
    return typeof named === "string" ? named : JSON.stringify(value);
  }
  return String(value);
}

/** `key: value` lines for one object (nested objects flattened one level). */
export function formatRecord(record: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(record).map((k) => k.length));
  return Object.entries(record)
    .map(([k, v]) => {
      if (v && typeof v === "object" && !Array.isArray(v)) {
        const inner = Object.entries(v as Record<string, unknown>)
          .map(([ik, iv]) => `${ik}=${formatCell(iv)}`)
          .join(" ");
        return `${k.padEnd(width)}  ${inner}`;
      }
      return `${k.padEnd(width)}  ${formatCell(v)}`;
    })
    .join("\n");
}
