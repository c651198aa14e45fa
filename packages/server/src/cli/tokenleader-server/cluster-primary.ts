// `tokenleader-server --workers N` (N > 1): this process becomes the cluster primary. It serves
// nothing itself: node:cluster shares the listening port among the workers (the primary accepts
// and hands connections out round-robin). The one-time start work ran before this (main.ts:
// prepareDeployment), so workers find migrations, keys and the first administrator in place.
//
// What the primary promises an operator:
// - N workers, each logging with `worker: <id>` (and its pid); a worker that dies is replaced,
//   after a delay that grows while workers keep dying (100 ms doubling up to 10 s);
// - a worker that fails at start before the service ever listened (port in use…) stops
//   everything at once: its own message says why. Later, 5 replacements in a row that fail at
//   start end the service too, instead of a restart loop that never serves;
// - SIGTERM/SIGINT go on to the workers as SIGTERM (they drain like a single process does); the
//   primary exits when they all have. A second signal makes the workers exit at once.
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";

export interface ClusterOptions {
  workers: number;
  logger: Logger;
  /** A worker's own drain time; the primary waits this plus a margin before SIGKILL. */
  shutdownTimeoutMs: number;
  /** Replacement start failures in a row that end the service. */
  maxStartFailures?: number;
}

const FIRST_RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 10_000;
/** Deaths further back than this no longer lengthen the restart delay. */
const CRASH_MEMORY_MS = 60_000;
const SHUTDOWN_MARGIN_MS = 5_000;

/** Runs the workers until they have all stopped; resolves with the process's exit status. */
export function runClusterPrimary(options: ClusterOptions): Promise<number> {
  const { logger } = options;
  const maxStartFailures = options.maxStartFailures ?? 5;
  const listening = new Set<number>();
  let serviceListened = false;
  let startFailuresInARow = 0;
  let recentDeaths: number[] = [];
  let stopping = false;
  let exitStatus = 0;
  const pendingRestarts = new Set<NodeJS.Timeout>();
  // Our own list: cluster.workers drops a worker only once its IPC channel has closed too.
  const live = new Map<number, Worker>();

  return new Promise<number>((resolve) => {
    const finishWhenEmpty = () => {
      if (stopping && live.size === 0) {
        for (const timer of pendingRestarts) clearTimeout(timer);
        process.off("SIGTERM", onSignal);
        process.off("SIGINT", onSignal);
        process.off("SIGHUP", onReload);
        resolve(exitStatus);
      }
    };

    const stopAll = (reason: string, status: number) => {
      if (!stopping) {
        stopping = true;
        exitStatus = status;
        for (const timer of pendingRestarts) clearTimeout(timer);
        pendingRestarts.clear();
        logger.info({ reason }, "stopping all workers");
        const killTimer = setTimeout(() => {
          for (const worker of live.values()) {
            logger.error(
              { worker: worker.id, workerPid: worker.process.pid },
              "worker did not stop in time: killed",
            );
            worker.process.kill("SIGKILL");
          }
          exitStatus = 1;
        }, options.shutdownTimeoutMs + SHUTDOWN_MARGIN_MS);
        killTimer.unref();
      }
      for (const worker of live.values()) worker.process.kill("SIGTERM");
      finishWhenEmpty();
    };

    let signalled = false;
    function onSignal(signal: NodeJS.Signals) {
      if (signalled) {
        logger.warn({ signal }, "second signal: workers exit without waiting");
      } else {
        logger.info({ signal }, "shutting down: workers finish their requests");
      }
      signalled = true;
      // A second SIGTERM is each worker's "exit now".
      stopAll(`received ${signal}`, exitStatus);
    }
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    // SIGHUP (reload the TLS certificate files) is each worker's own business: pass it on.
    function onReload() {
      if (stopping) return;
      logger.info({ signal: "SIGHUP" }, "passing SIGHUP on to the workers");
      for (const worker of live.values()) worker.process.kill("SIGHUP");
    }
    process.on("SIGHUP", onReload);

    const fork = () => {
      const worker = cluster.fork();
      live.set(worker.id, worker);
      logger.info({ worker: worker.id, workerPid: worker.process.pid }, "worker started");
    };

    cluster.on("listening", (worker, address) => {
      listening.add(worker.id);
      startFailuresInARow = 0;
      logger.info({ worker: worker.id, workerPid: worker.process.pid }, "worker listening");
      if (!serviceListened && listening.size === options.workers) {
        serviceListened = true;
        logger.info({ workers: options.workers, port: address.port }, "all workers listening");
      }
    });

    cluster.on("exit", (worker, code, signal) => {
      live.delete(worker.id);
      const wasListening = listening.delete(worker.id);
      const details = { worker: worker.id, workerPid: worker.process.pid, code, signal };
      if (stopping) {
        if (code !== 0) exitStatus = 1;
        logger.info(details, "worker stopped");
        finishWhenEmpty();
        return;
      }
      const workerStatus = code !== null && code !== 0 ? code : 1;
      if (!wasListening) {
        if (!serviceListened) {
          logger.error(details, "a worker failed at start (see its message above): stopping");
          stopAll("a worker failed at start", workerStatus);
          return;
        }
        startFailuresInARow++;
        if (startFailuresInARow >= maxStartFailures) {
          logger.error(
            { ...details, failures: startFailuresInARow },
            `replacement workers failed at start ${startFailuresInARow} times in a row (see their messages above): giving up`,
          );
          stopAll("workers keep failing at start", workerStatus);
          return;
        }
      }
      const now = Date.now();
      recentDeaths = [...recentDeaths.filter((time) => now - time < CRASH_MEMORY_MS), now];
      const delayMs = Math.min(
        FIRST_RESTART_DELAY_MS * 2 ** (recentDeaths.length - 1),
        MAX_RESTART_DELAY_MS,
      );
      logger.error(
        { ...details, restartInMs: delayMs },
        "worker exited unexpectedly: replacing it",
      );
      const timer = setTimeout(() => {
        pendingRestarts.delete(timer);
        if (!stopping) fork();
      }, delayMs);
      pendingRestarts.add(timer);
    });

    logger.info({ workers: options.workers }, "starting workers");
    for (let i = 0; i < options.workers; i++) fork();
  });
}
