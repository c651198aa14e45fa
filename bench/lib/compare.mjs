// A and B side by side: every run measures each side once, in an order that rotates from run to
// run (so a machine getting busier or quieter over time does not favour one side), after one
// short warm-up per side that is thrown away (JIT, caches, connection set-up). Each figure is the
// median over the runs; the ratio is that of the medians.
import { median, meetsTarget, ratio } from "./stats.mjs";

/**
 * sides: { key: { label, measure(seconds) → result } } → { key: { label, results[] } }.
 * The warm-up lasts `warmupSeconds`, each measured run `seconds`.
 */
export async function alternate(ctx, sides) {
  const keys = Object.keys(sides);
  for (const key of keys) await sides[key].measure(ctx.warmupSeconds);
  const measured = Object.fromEntries(keys.map((key) => [key, []]));
  for (let run = 0; run < ctx.runs; run++) {
    const order = keys.map((_, i) => keys[(i + run) % keys.length]);
    for (const key of order) {
      const result = await sides[key].measure(ctx.seconds);
      measured[key].push(result);
      ctx.progress(`  ${sides[key].label}: ${describe(result)}`);
    }
  }
  return Object.fromEntries(
    keys.map((key) => [key, { label: sides[key].label, results: measured[key] }]),
  );
}

function describe(result) {
  const parts = [`${result.perSecond.toFixed(0)}/s`];
  if (Number.isFinite(result.p99Ms)) parts.push(`p99 ${result.p99Ms.toFixed(2)} ms`);
  if (Number.isFinite(result.rssMiB)) parts.push(`RSS ${result.rssMiB.toFixed(0)} MiB`);
  return parts.join(", ");
}

/**
 * One row of the results: `a` and `b` are sides from `alternate`, `pick` the figure compared
 * (requests/s by default), `target` e.g. { atLeast: 0.5, stretch: 0.7 } on the ratio a/b.
 */
export function comparison({ id, title, a, b, unit = "req/s", pick, target, note }) {
  const figure = pick ?? ((result) => result.perSecond);
  const aValues = a.results.map(figure);
  const bValues = b.results.map(figure);
  const aMedian = median(aValues);
  const bMedian = median(bValues);
  const value = ratio(aMedian, bMedian);
  return {
    id,
    title,
    unit,
    a: { label: a.label, values: aValues, median: aMedian },
    b: { label: b.label, values: bValues, median: bMedian },
    ratio: value,
    target: target ?? null,
    met: meetsTarget(value, target),
    ...(note ? { note } : {}),
  };
}
