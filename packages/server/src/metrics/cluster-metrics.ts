import cluster from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import { metricsRegistry, serverMetrics } from "./server-metrics.js";

// Several worker processes behind one port (node:cluster): a scrape reaches one worker, whose own
// counters are a random share of the whole and would jump between scrapes. So a worker asks the
// primary, which gathers every worker's registry (prom-client's AggregatorRegistry: counters and
// histograms summed) and answers with the text of all of them. Without a primary that serves
// this, a worker answers with its own numbers, as a single process does.

const ASK = "tokenleader:metrics-ask";
const ANSWER = "tokenleader:metrics-answer";
/** Set by the primary before it forks: its workers may ask it. */
const CLUSTER_METRICS_ENV = "TOKENLEADER_CLUSTER_METRICS";
const ASK_TIMEOUT_MS = 10_000;

interface AskMessage {
  type: typeof ASK;
  id: number;
}
interface AnswerMessage {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/** In the cluster's primary, before forking the workers. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  process.env[CLUSTER_METRICS_ENV] = "1";
  cluster.on("message", (worker, message: AskMessage) => {
    if (message?.type !== ASK) return;
    const answer = (reply: Omit<AnswerMessage, "type" | "id">) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id: message.id, ...reply });
    };
    aggregator.clusterMetrics().then(
      (text) => answer({ text }),
      (error: Error) => answer({ error: error.message }),
    );
  });
}

let joined = false;

/** In every worker (idempotent): lets the primary read this process's registry. */
export function joinClusterMetrics(): void {
  if (joined || !cluster.isWorker) return;
  joined = true;
  AggregatorRegistry.setRegistries([metricsRegistry]);
  // The constructor installs prom-client's answering listener in a worker.
  new AggregatorRegistry();
}

let nextAskId = 0;
const pendingAsks = new Map<number, (answer: AnswerMessage) => void>();

/** The text of GET /metrics: the whole cluster's when the primary serves it, else this process's. */
export function metricsText(): Promise<string> {
  if (!cluster.isWorker || process.env[CLUSTER_METRICS_ENV] !== "1" || !process.send) {
    return serverMetrics.text();
  }
  if (pendingAsks.size === 0) process.on("message", onAnswer);
  const id = nextAskId++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      settle({ type: ANSWER, id, error: `no answer from the primary within ${ASK_TIMEOUT_MS} ms` });
    }, ASK_TIMEOUT_MS);
    const settle = (answer: AnswerMessage) => {
      clearTimeout(timer);
      pendingAsks.delete(id);
      if (pendingAsks.size === 0) process.off("message", onAnswer);
      if (answer.text !== undefined) resolve(answer.text);
      else reject(new Error(`cluster metrics: ${answer.error ?? "no text"}`));
    };
    pendingAsks.set(id, settle);
    process.send?.({ type: ASK, id } satisfies AskMessage);
  });
}

function onAnswer(message: AnswerMessage): void {
  if (message?.type === ANSWER) pendingAsks.get(message.id)?.(message);
}
