import { escapeControlCharacters } from "@tokenleader/client/terminal";

/**
 * Renders rows as a plain aligned text table with a header, for people (scripts use --json).
 * Cells are escaped: a value with a newline, ESC or a right-to-left override cannot break the
 * table or disguise itself.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const body = rows.map((row) => row.map(escapeControlCharacters));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...body.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...body.map(line)]
    .map((text) => `${text}\n`)
    .join("");
}
