import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/test-databases.js";
import { createTestServer, type TestServer } from "./helpers/test-server.js";

// Slow or stalled clients against a really listening server: each timeout setting closes their
// connection soon after it runs out, where before a request whose body never came held its
// connection for good. Small timeouts keep the test quick; the margin covers Node's sweep.

const REQUEST_TIMEOUT_MS = 1500;
const HEADERS_TIMEOUT_MS = 700;
const KEEP_ALIVE_TIMEOUT_MS = 600;
const MARGIN_MS = 2000;

let database: TestDatabase;
let server: TestServer;
let port: number;

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  server = await createTestServer({
    db: database.db,
    ini: {
      server: {
        request_timeout: String(REQUEST_TIMEOUT_MS / 1000),
        headers_timeout: String(HEADERS_TIMEOUT_MS / 1000),
        keep_alive_timeout: String(KEEP_ALIVE_TIMEOUT_MS / 1000),
        idle_timeout: "5",
      },
    },
  });
  await server.app.listen({ host: "127.0.0.1", port: 0 });
  const address = server.app.server.address();
  port = typeof address === "object" && address !== null ? address.port : 0;
});
afterAll(async () => {
  await server?.close();
  await database?.cleanup();
});

interface Closed {
  /** Milliseconds from the first byte sent to the server closing the connection. */
  afterMs: number;
  /** Everything the server sent. */
  received: string;
}

/** Opens a raw connection, writes `chunks` (spaced by `everyMs`), waits for the server to close. */
function rawClient(chunks: string[], everyMs = 0, giveUpMs = 10_000): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let started = 0;
    const timers: NodeJS.Timeout[] = [];
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server still held the connection after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on("connect", () => {
      started = Date.now();
      chunks.forEach((chunk, index) => {
        timers.push(
          setTimeout(() => {
            if (!socket.destroyed) socket.write(chunk);
          }, index * everyMs),
        );
      });
    });
    socket.on("data", (data) => {
      received += data.toString("latin1");
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(giveUp);
      for (const timer of timers) clearTimeout(timer);
      resolve({ afterMs: Date.now() - started, received });
    });
  });
}

describe("connection timeouts", () => {
  it("closes a connection whose body never completes within request_timeout", async () => {
    const closed = await rawClient([
      "POST /token/gettoken HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
        'Content-Length: 100\r\n\r\n{"username":"alice",',
    ]);
    expect(closed.afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(closed.afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + MARGIN_MS);
    // Never a token or a 5xx: at most the 408 that says why.
    expect(closed.received).not.toMatch(/HTTP\/1\.1 [25]\d\d/);
  });

  it("closes a connection that trickles its headers (slowloris) within headers_timeout", async () => {
    const trickle = Array.from({ length: 40 }, (_, i) => `X-Slow-${i}: a\r\n`);
    const closed = await rawClient(["GET /healthz HTTP/1.1\r\nHost: x\r\n", ...trickle], 100);
    expect(closed.afterMs).toBeLessThan(HEADERS_TIMEOUT_MS + MARGIN_MS);
    expect(closed.received).not.toMatch(/HTTP\/1\.1 [25]\d\d/);
  });

  it("closes a connection that sends nothing at all within headers_timeout", async () => {
    const closed = await rawClient([]);
    expect(closed.afterMs).toBeLessThan(HEADERS_TIMEOUT_MS + MARGIN_MS);
  });

  it("answers a complete request, then closes the idle keep-alive connection after keep_alive_timeout", async () => {
    const closed = await rawClient(["GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"]);
    expect(closed.received).toMatch(/^HTTP\/1\.1 200 /);
    expect(closed.afterMs).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 100);
    expect(closed.afterMs).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + MARGIN_MS);
  });
});
