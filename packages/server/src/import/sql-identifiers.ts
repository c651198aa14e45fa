/**
 * Quotes a table or column name of the import's fixed schema (`user` is a reserved word in
 * PostgreSQL and MySQL). The names are this module's constants, never user input; the check is
 * a guard against a future mistake.
 */
export function quoteIdentifier(name: string, quote: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`unexpected SQL identifier ${name}`);
  return `${quote}${name}${quote}`;
}

/** `SELECT "a" AS "a", … FROM "t" ORDER BY "id"`: every row, keys exactly the column names. */
export function selectAllSql(
  table: string,
  columns: readonly string[],
  orderBy: readonly string[],
  quote: string,
): string {
  const list = columns.map((c) => `${quoteIdentifier(c, quote)} AS ${quoteIdentifier(c, quote)}`);
  const order = orderBy.map((column) => quoteIdentifier(column, quote));
  const orderClause = order.length > 0 ? ` ORDER BY ${order.join(", ")}` : "";
  return `SELECT ${list.join(", ")} FROM ${quoteIdentifier(table, quote)}${orderClause}`;
}
