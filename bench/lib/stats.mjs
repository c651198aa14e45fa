// Pure helpers of the benchmark harness (tested in tests/bench/harness.test.ts).

/** The median of a non-empty list of numbers (mean of the middle two for an even count). */
export function median(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return Number.NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** a / b, NaN when either is missing or b is zero. */
export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
}

/** Whether a ratio meets a target such as { atLeast: 0.5 } or { atMost: 2 }; null without one. */
export function meetsTarget(value, target) {
  if (!target) return null;
  if (!Number.isFinite(value)) return false;
  if (target.atLeast !== undefined) return value >= target.atLeast;
  if (target.atMost !== undefined) return value <= target.atMost;
  return null;
}

export function describeTarget(target) {
  if (!target) return "";
  const stretch = target.stretch !== undefined ? ` (stretch ${target.stretch}×)` : "";
  if (target.atLeast !== undefined) return `≥ ${target.atLeast}×${stretch}`;
  if (target.atMost !== undefined) return `≤ ${target.atMost}×${stretch}`;
  return "";
}

/** A number for people: 3 significant figures, thousands grouped. */
export function formatNumber(value) {
  if (!Number.isFinite(value)) return "n/a";
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(3)).toString();
}

/** A GitHub-flavoured Markdown table; cells are escaped for `|`. */
export function markdownTable(headers, rows) {
  const cell = (value) => String(value).replaceAll("|", "\\|");
  const lines = [
    `| ${headers.map(cell).join(" | ")} |`,
    `|${headers.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
  return lines.join("\n");
}

/** The table `pnpm bench` prints: one row per comparison. */
export function resultsTable(results) {
  return markdownTable(
    ["scenario", "A", "B", "A (median)", "B (median)", "ratio A/B", "target", "met"],
    results.map((r) => [
      r.title,
      r.a.label,
      r.b.label,
      `${formatNumber(r.a.median)} ${r.unit}`,
      `${formatNumber(r.b.median)} ${r.unit}`,
      Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : "n/a",
      describeTarget(r.target),
      r.met === null ? "" : r.met ? "yes" : "**no**",
    ]),
  );
}
