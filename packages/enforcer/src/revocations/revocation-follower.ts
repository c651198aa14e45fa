// Follows the token server's revocation stream (GET /revocations/stream, Server-Sent Events) so a
// local-mode enforcer refuses revoked tokens within a second, with no call per request (issue 17).
// A small client over fetch rather than EventSource: it must send a token and Last-Event-ID, pick
// a fresh token when the old one expires or is refused, and back off on failures; parsing the
// event stream is eventsource-parser's.
//
// While the stream is down the enforcer keeps what it knew; on reconnection the server sends what
// was missed since the last event id, or a full resync when that is too old.

import { createParser } from "eventsource-parser";
import type { EnforcerLogger } from "../logger.js";
import {
  type RevocationMessage,
  type RevocationSnapshotMessage,
  RevocationState,
} from "./revocation-state.js";

/** The server sends a heartbeat every 15 s; this much silence means the connection is dead. */
const SILENCE_LIMIT_MS = 35_000;

export interface RevocationsOptions {
  /** The token server's stream: `<tl_url>/revocations/stream`. */
  url: string;
  /** A token granted `tokenleader.revocations.follow`, or a function giving a current one. */
  token?: string | (() => string | Promise<string>);
  /** Or an account granted that rule: tokens are fetched from `<tl_url>/token/gettoken`. */
  credentials?: { username: string; password: string; tokenUrl?: string };
  /** First reconnection delay (ms, default 250), doubled after each failure up to `maxRetryMs`. */
  retryMs?: number;
  /** Longest reconnection delay, ms (default 10000). */
  maxRetryMs?: number;
  fetch?: typeof globalThis.fetch;
}

export interface RevocationFollower {
  /** The revocations known so far (asked per request). */
  readonly state: RevocationState;
  /** True while the stream is open. */
  connected(): boolean;
  /** Resolves once the stream has been opened for the first time. */
  ready(): Promise<void>;
  close(): void;
}

export function followRevocations(
  options: RevocationsOptions,
  logger: EnforcerLogger,
): RevocationFollower {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const state = new RevocationState();
  const firstDelay = options.retryMs ?? 250;
  const maxDelay = options.maxRetryMs ?? 10_000;
  const tokens = tokenProvider(options, fetchImpl);
  const abort = new AbortController();
  let cursor: string | null = null;
  let isConnected = false;
  /** Whether the current attempt got the stream open (then the backoff starts over). */
  let opened = false;
  let markReady: () => void = () => {};
  const readyPromise = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  function onMessage(event: { event?: string | undefined; id?: string | undefined; data: string }) {
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      logger.warn({ event: event.event }, "revocation stream: unreadable event ignored");
      return;
    }
    if (event.event === "resync" && isSnapshot(data)) state.replace(data);
    else if (event.event === "revocation" && isRevocation(data)) state.apply(data);
    else return;
    if (event.id !== undefined) cursor = event.id;
  }

  /** One connection: resolves when the stream ends; throws on failure. */
  async function connectOnce(): Promise<void> {
    const token = await tokens.get();
    const headers: Record<string, string> = {
      accept: "text/event-stream",
      authorization: `Bearer ${token}`,
    };
    if (cursor !== null) headers["last-event-id"] = cursor;
    // A connection that went silent (a half-open TCP connection never errors) is dropped after
    // missing two of the server's heartbeats, and a new one is made.
    const silent = new AbortController();
    let silence = setTimeout(() => silent.abort(), SILENCE_LIMIT_MS);
    const signal = AbortSignal.any([abort.signal, silent.signal]);
    try {
      const response = await fetchImpl(options.url, { headers, signal });
      await readStream(response, () => {
        clearTimeout(silence);
        silence = setTimeout(() => silent.abort(), SILENCE_LIMIT_MS);
      });
    } finally {
      clearTimeout(silence);
    }
  }

  async function readStream(response: Response, onBytes: () => void): Promise<void> {
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      if (response.status === 401 || response.status === 403) tokens.forget();
      throw new Error(`HTTP ${response.status}`);
    }
    isConnected = true;
    opened = true;
    markReady();
    const parser = createParser({ onEvent: onMessage });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        onBytes();
        parser.feed(decoder.decode(chunk, { stream: true }));
      }
    } finally {
      isConnected = false;
    }
  }

  async function run(): Promise<void> {
    let delay = firstDelay;
    while (!abort.signal.aborted) {
      opened = false;
      try {
        await connectOnce();
        // The server ended the stream (its shutdown, or the token's expiry): come back soon.
        tokens.forgetIfExpiring();
      } catch (error) {
        if (abort.signal.aborted) return;
        logger.warn(
          { url: options.url, err: (error as Error).message, retryInMs: delay },
          "revocation stream unavailable; revocations made meanwhile apply once it is back",
        );
      }
      // A connection that opened resets the backoff; a failing one doubles it.
      if (opened) delay = firstDelay;
      await sleep(delay, abort.signal);
      delay = Math.min(delay * 2, maxDelay);
    }
  }

  void run();
  return {
    state,
    connected: () => isConnected,
    ready: () => readyPromise,
    close: () => abort.abort(),
  };
}

interface TokenProvider {
  get(): Promise<string>;
  /** The server refused it: fetch a new one next time. */
  forget(): void;
  /** Forget a token that expires within a minute (the stream ends at its expiry). */
  forgetIfExpiring(): void;
}

function tokenProvider(options: RevocationsOptions, fetchImpl: typeof fetch): TokenProvider {
  const { token, credentials } = options;
  if (typeof token === "string") {
    return { get: async () => token, forget() {}, forgetIfExpiring() {} };
  }
  if (typeof token === "function") {
    return { get: async () => token(), forget() {}, forgetIfExpiring() {} };
  }
  if (credentials === undefined) throw new Error("revocations needs token or credentials");
  const tokenUrl = credentials.tokenUrl ?? new URL("/token/gettoken", options.url).href;
  let cached: { token: string; exp: number } | null = null;
  return {
    async get() {
      if (cached !== null && cached.exp * 1000 > Date.now() + 60_000) return cached.token;
      const response = await fetchImpl(tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: credentials.username, password: credentials.password }),
      });
      const body = (await response.json().catch(() => null)) as { auth_token?: unknown } | null;
      if (!response.ok || typeof body?.auth_token !== "string") {
        throw new Error(`no token from ${tokenUrl} (HTTP ${response.status})`);
      }
      cached = { token: body.auth_token, exp: tokenExpiry(body.auth_token) };
      return cached.token;
    },
    forget() {
      cached = null;
    },
    forgetIfExpiring() {
      if (cached !== null && cached.exp * 1000 <= Date.now() + 60_000) cached = null;
    },
  };
}

/** The token's `exp` (seconds), read without verifying: only to know when to fetch a new one. */
function tokenExpiry(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString());
    return typeof payload.exp === "number" ? payload.exp : 0;
  } catch {
    return 0;
  }
}

function isRevocation(data: unknown): data is RevocationMessage {
  if (typeof data !== "object" || data === null) return false;
  const { type, username, validAfter, sid } = data as Record<string, unknown>;
  return (
    (type === "user" && typeof username === "string" && typeof validAfter === "number") ||
    (type === "session" && typeof sid === "string")
  );
}

function isSnapshot(data: unknown): data is RevocationSnapshotMessage {
  if (typeof data !== "object" || data === null) return false;
  const { users, sessions } = data as Record<string, unknown>;
  return (
    Array.isArray(users) &&
    Array.isArray(sessions) &&
    sessions.every((sid) => typeof sid === "string") &&
    users.every((user) => isRevocation({ type: "user", ...user }))
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
