import type { Server } from "node:http";
import net from "node:net";
import type { FastifyInstance } from "fastify";

// Shutting down without resetting anyone's connection (SIGTERM, SIGINT, a worker told to stop):
//
// 1. Stop accepting: new connections are refused, so clients and load balancers move on.
// 2. Drain: requests already received are answered normally, each answer (and any answer still
//    to come on a kept-alive connection) with `Connection: close`, after which Node closes that
//    connection cleanly. A kept-alive connection with nothing in flight is closed once it has
//    been idle for a short grace period: closing it at once could cut off a request that is on
//    its way (the client would see ECONNRESET for a request it had already sent).
// 3. At the drain deadline the remaining connections are destroyed.
// 4. Then the app closes (its hooks: listeners, timers) and `closeResources` (the database).
//
// Node's http.Server.close() closes idle keep-alive connections at once (since Node 19), which
// is the race of step 2; so listening stops through net.Server's close, and Fastify's own
// close() comes only after the drain, when it has nothing left to cut.

export interface GracefulShutdownOptions {
  /** Longest time for in-flight requests and kept-alive connections to finish (ms). */
  readonly drainTimeoutMs: number;
  /** A kept-alive connection idle this long while draining is closed (ms). Default 500. */
  readonly idleGraceMs?: number;
  /** After the app has closed: the database and anything else the process holds. */
  readonly closeResources?: () => Promise<void>;
  readonly log?: {
    info(details: object, message: string): void;
    warn(details: object, message: string): void;
  };
}

export interface ShutdownReport {
  /** Connections still open at the deadline, destroyed. */
  readonly destroyedConnections: number;
  readonly drainedMs: number;
}

export interface GracefulShutdown {
  /** True from the first shutdown() call on. */
  readonly draining: boolean;
  /** Runs the whole shutdown once; later calls return the same promise. */
  shutdown(): Promise<ShutdownReport>;
}

interface ConnectionState {
  inFlight: number;
  idleSince: number;
}

const POLL_MS = 25;

/**
 * Call before the app listens (it must see every connection). Works the same in a single
 * process and in a cluster worker: it only uses the worker's own server and connections.
 */
export function prepareGracefulShutdown(
  app: FastifyInstance,
  options: GracefulShutdownOptions,
): GracefulShutdown {
  const server: Server = app.server;
  const idleGraceMs = options.idleGraceMs ?? Math.min(500, options.drainTimeoutMs / 4);
  const connections = new Map<net.Socket, ConnectionState>();
  let draining = false;
  let running: Promise<ShutdownReport> | null = null;

  server.on("connection", (socket: net.Socket) => {
    connections.set(socket, { inFlight: 0, idleSince: Date.now() });
    socket.once("close", () => connections.delete(socket));
  });
  // Runs after Fastify's own request listener, before any response has been written.
  server.on("request", (request, response) => {
    const state = connections.get(request.socket);
    if (state) {
      state.inFlight += 1;
      response.once("close", () => {
        state.inFlight -= 1;
        state.idleSince = Date.now();
      });
    }
    if (draining && !response.headersSent) response.setHeader("connection", "close");
  });
  // A response still being prepared when the drain starts says Connection: close as well.
  app.addHook("onSend", async (_request, reply, payload) => {
    if (draining) reply.header("connection", "close");
    return payload;
  });

  const drain = async (): Promise<ShutdownReport> => {
    const started = Date.now();
    const deadline = started + options.drainTimeoutMs;
    while (connections.size > 0 && Date.now() < deadline) {
      const now = Date.now();
      for (const [socket, state] of connections) {
        if (state.inFlight === 0 && now - state.idleSince >= idleGraceMs) socket.end();
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const destroyedConnections = connections.size;
    for (const socket of connections.keys()) socket.destroy();
    return { destroyedConnections, drainedMs: Date.now() - started };
  };

  return {
    get draining() {
      return draining;
    },
    shutdown() {
      running ??= (async () => {
        draining = true;
        if (server.listening) net.Server.prototype.close.call(server);
        options.log?.info(
          { connections: connections.size, drainTimeoutMs: options.drainTimeoutMs },
          "shutting down: no new connections, finishing requests",
        );
        const report = await drain();
        if (report.destroyedConnections > 0) {
          options.log?.warn(
            { destroyed: report.destroyedConnections, drainTimeoutMs: options.drainTimeoutMs },
            "drain deadline reached: the remaining connections were closed",
          );
        }
        try {
          await app.close();
        } finally {
          await options.closeResources?.();
        }
        return report;
      })();
      return running;
    },
  };
}
