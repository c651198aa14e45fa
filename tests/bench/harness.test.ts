import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript of the benchmark harness, no type declarations
import { markdownTable, median, meetsTarget, ratio, resultsTable } from "../../bench/lib/stats.mjs";
// @ts-expect-error: plain JavaScript of the benchmark harness, no type declarations
import { parseWrkDuration, parseWrkOutput } from "../../bench/lib/wrk-output.mjs";

// The pure parts of `pnpm bench` (no load, no timing): reading wrk's report, medians, ratios and
// the table; and that the harness answers --help without starting anything.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const WRK_REPORT = `Running 3s test @ http://127.0.0.1:40001/token/verify_token
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.71ms  412.33us  12.04ms   91.22%
    Req/Sec    18.93k     1.02k   20.11k    80.00%
  Latency Distribution
     50%    1.62ms
     75%    1.80ms
     90%    2.05ms
     99%    3.10ms
  56512 requests in 3.00s, 41.23MB read
  Non-2xx or 3xx responses: 7
  Socket errors: connect 0, read 2, write 0, timeout 1
Requests/sec:  18830.42
Transfer/sec:     13.74MB
`;

describe("bench harness", () => {
  it("reads wrk's report: requests/s, percentiles, failures", () => {
    expect(parseWrkOutput(WRK_REPORT)).toEqual({
      perSecond: 18830.42,
      requests: 56512,
      p50Ms: 1.62,
      p99Ms: 3.1,
      non2xx: 7,
      socketErrors: 3,
    });
    expect(parseWrkDuration("812.00us")).toBeCloseTo(0.812);
    expect(parseWrkDuration("2.01s")).toBeCloseTo(2010);
    expect(() => parseWrkOutput("unable to connect to 127.0.0.1:1")).toThrow(/no result/);
  });

  it("takes medians and ratios, and tells whether a target is met", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNaN();
    expect(meetsTarget(0.55, { atLeast: 0.5 })).toBe(true);
    expect(meetsTarget(2.5, { atMost: 2 })).toBe(false);
    expect(meetsTarget(1, undefined)).toBeNull();
  });

  it("prints a Markdown table with one row per comparison", () => {
    const table = resultsTable([
      {
        title: "verify_token vs hello-world",
        unit: "req/s",
        a: { label: "A", median: 12_000 },
        b: { label: "B|pipe", median: 24_000 },
        ratio: 0.5,
        target: { atLeast: 0.5, stretch: 0.7 },
        met: true,
      },
    ]);
    const lines = table.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(
      "| verify_token vs hello-world | A | B\\|pipe | 12,000 req/s | 24,000 req/s | 0.50× | ≥ 0.5× (stretch 0.7×) | yes |",
    );
    expect(markdownTable(["x"], [])).toBe("| x |\n|---|");
  });

  it("answers --help with exit 0 and refuses an unknown scenario with exit 2", () => {
    const help = spawnSync(process.execPath, [path.join(root, "bench/run.mjs"), "--help"], {
      encoding: "utf8",
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Scenarios: verify, enforcer-fastify");
    const unknown = spawnSync(process.execPath, [path.join(root, "bench/run.mjs"), "nonsense"], {
      encoding: "utf8",
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown scenario nonsense");
  });
});
