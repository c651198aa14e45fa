/** Renders rows as a plain aligned text table with a header, for people (scripts use --json). */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const clean = (cell: string) => cell.replace(/[\r\n\t]/g, " ");
  const body = rows.map((row) => row.map(clean));
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
