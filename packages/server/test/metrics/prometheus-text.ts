// A strict reader of the Prometheus text exposition format (version 0.0.4), as a scraper reads it:
// every line is a comment (# HELP / # TYPE / other), empty, or `name{label="value",…} value`.
// Throws on any other line, so a test that reads /metrics through it also checks the format.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

export function parsePrometheusText(text: string): {
  samples: Sample[];
  types: Map<string, string>;
} {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    if (line.startsWith("#")) {
      const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\S+)$/.exec(line);
      if (type) {
        if (!TYPES.has(type[2] as string))
          throw new Error(`line ${index + 1}: unknown type: ${line}`);
        types.set(type[1] as string, type[2] as string);
      } else if (
        line.startsWith("# TYPE") ||
        (line.startsWith("# HELP") && !/^# HELP \S+ /.test(line))
      ) {
        throw new Error(`line ${index + 1}: malformed comment: ${line}`);
      }
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`line ${index + 1}: not a sample: ${line}`);
    const labels: Record<string, string> = {};
    const labelText = match[3] ?? "";
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < labelText.length) {
      const label = LABEL.exec(labelText);
      if (!label) throw new Error(`line ${index + 1}: malformed labels: ${line}`);
      labels[label[1] as string] = (label[2] as string).replace(/\\(.)/g, (_, c) =>
        c === "n" ? "\n" : c,
      );
    }
    const value = parseSampleValue(match[4] as string);
    if (value === undefined) throw new Error(`line ${index + 1}: not a number: ${line}`);
    samples.push({ name: match[1] as string, labels, value });
  }
  return { samples, types };
}

/** A Go float as Prometheus reads it: NaN and (+/-)Inf in any case (prom-client writes "Nan"). */
function parseSampleValue(raw: string): number | undefined {
  const special = raw.toLowerCase();
  if (special === "nan") return Number.NaN;
  if (special === "+inf" || special === "inf") return Number.POSITIVE_INFINITY;
  if (special === "-inf") return Number.NEGATIVE_INFINITY;
  const value = Number(raw);
  return Number.isNaN(value) || raw.trim() === "" ? undefined : value;
}

/** The sum of the samples named `name` whose labels include `labels` (0 when none). */
export function sampleValue(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number {
  return samples
    .filter(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}
