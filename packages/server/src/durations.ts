// Durations as people type them on command lines: a whole number and a unit (90s, 30m, 24h, 7d,
// 2w). `adminops audit --since` and `adminops keys` read them here.

const DURATION = /^(\d+)\s*(s|m|h|d|w)$/i;
const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Milliseconds, or null when `text` is not a duration. `bareSeconds`: "90" means 90 s. */
export function parseDurationMs(
  text: string,
  options: { bareSeconds?: boolean } = {},
): number | null {
  const trimmed = text.trim();
  if (options.bareSeconds && /^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const match = DURATION.exec(trimmed);
  return match ? Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]! : null;
}
