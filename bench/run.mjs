// `pnpm bench`: tokenleader against the alternatives, side by side on this machine, as ratios.
// Load comes from wrk (or autocannon) in a separate process; A and B alternate within one run;
// every figure is the median of several runs. The table is printed as Markdown and written to
// bench/results/latest.json. See bench/README.md for what each scenario measures.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadGenerator } from "./lib/load.mjs";
import { freePort, startNode, stopAll } from "./lib/processes.mjs";
import { COLD_TOKENS, SCENARIOS } from "./lib/scenarios.mjs";
import { resultsTable } from "./lib/stats.mjs";
import { startTokenleader } from "./lib/tokenleader.mjs";
import { writeBenchTokens } from "./lib/tokens.mjs";

const bench = path.dirname(fileURLToPath(import.meta.url));
const NAMES = Object.keys(SCENARIOS);

const HELP = `Usage: pnpm bench [scenario…] [options]
       node bench/run.mjs [scenario…] [options]

Runs tokenleader and the alternatives side by side and prints ratios (A/B) as a Markdown table,
also written to bench/results/latest.json. Without a scenario, runs them all (about 4-5 minutes
on 2 cores).

Scenarios: ${NAMES.join(", ")}

Options:
  --scenario <name>     run only this scenario (may be repeated; same as naming it)
  --seconds <n>         length of each measured run (default 3)
  --runs <n>            measured runs per side; figures are medians (default 3, at least 3)
  --connections <n>     connections for throughput runs (default 32)
  --warmup <n>          seconds of the discarded warm-up run per side (default 1)
  --out <file>          where to write the JSON results (default bench/results/latest.json)
  -h, --help            this text
`;

function parseOptions(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scenario: { type: "string", multiple: true },
      seconds: { type: "string", default: "3" },
      runs: { type: "string", default: "3" },
      connections: { type: "string", default: "32" },
      warmup: { type: "string", default: "1" },
      out: { type: "string", default: path.join(bench, "results", "latest.json") },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return { help: true };
  const chosen = [...positionals, ...(values.scenario ?? [])];
  const unknown = chosen.filter((name) => !NAMES.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown scenario ${unknown.join(", ")}; choose from ${NAMES.join(", ")}`);
  }
  const number = (name, min) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min) {
      throw new Error(`--${name} must be a number of at least ${min} (got "${values[name]}")`);
    }
    return value;
  };
  return {
    help: false,
    scenarios: chosen.length > 0 ? [...new Set(chosen)] : NAMES,
    seconds: number("seconds", 1),
    runs: number("runs", 3),
    connections: number("connections", 1),
    warmupSeconds: number("warmup", 1),
    out: path.resolve(values.out),
  };
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`bench: ${err.message}\n\n${HELP}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(HELP);
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "tokenleader-bench-"));
  const shared = {};
  const ctx = {
    dir,
    seconds: options.seconds,
    runs: options.runs,
    connections: options.connections,
    warmupSeconds: options.warmupSeconds,
    progress: (line) => console.error(line),
    // Started once and shared by the scenarios that only read from it.
    tokenleader: async () => {
      shared.tokenleader ??= startTokenleader(dir, "tokenleader");
      return shared.tokenleader;
    },
    hello: async () => {
      shared.hello ??= (async () => {
        const port = await freePort();
        const handle = await startNode(path.join(bench, "apps/hello.mjs"), [], {
          env: { PORT: String(port), LOG: "info" },
          readyUrl: `http://127.0.0.1:${port}/`,
        });
        return { ...handle, url: `http://127.0.0.1:${port}/` };
      })();
      return shared.hello;
    },
    benchTokens: async () => {
      shared.tokens ??= writeBenchTokens(dir, COLD_TOKENS);
      return shared.tokens;
    },
  };
  const started = Date.now();
  const results = [];
  const failures = [];
  console.error(
    `bench: load from ${loadGenerator()}; ${options.runs} runs × ${options.seconds} s per side, ${os.availableParallelism()} CPUs, load average ${os.loadavg()[0].toFixed(2)}`,
  );
  try {
    for (const name of options.scenarios) {
      console.error(`bench: ${name}`);
      try {
        results.push(...(await SCENARIOS[name](ctx)));
      } catch (err) {
        failures.push({ scenario: name, error: err.message });
        console.error(`bench: ${name} failed: ${err.message}`);
      }
    }
  } finally {
    await stopAll();
    await rm(dir, { recursive: true, force: true });
  }
  const report = {
    date: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: {
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      node: process.version,
      loadAverageAtEnd: os.loadavg()[0],
    },
    settings: {
      loadGenerator: loadGenerator(),
      seconds: options.seconds,
      runs: options.runs,
      connections: options.connections,
      warmupSeconds: options.warmupSeconds,
    },
    results,
    failures,
  };
  await mkdir(path.dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(resultsTable(results));
  console.log(
    `\n${report.durationSeconds} s; load average ${report.machine.loadAverageAtEnd.toFixed(2)} at the end; written to ${path.relative(process.cwd(), options.out)}`,
  );
  if (failures.length > 0) {
    for (const failure of failures) console.error(`bench: ${failure.scenario}: ${failure.error}`);
    process.exitCode = 1;
  }
}

const stopOnSignal = async () => {
  await stopAll();
  process.exit(130);
};
process.once("SIGINT", stopOnSignal);
process.once("SIGTERM", stopOnSignal);

main().catch(async (err) => {
  await stopAll();
  console.error(`bench: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
