import type { KeyObject } from "node:crypto";
import { audienceProblem, createVerifiedTokenCache, type KeySource } from "@tokenleader/client";
import type { AclEntry, AclMap } from "./acl/acl-map.js";
import { compileAclMap } from "./acl/acl-map.js";
import { loadAclMapSync } from "./acl/load-acl-map.js";
import { validateAclEntries } from "./acl/parse-acl-map.js";
import { type AclMapWatcher, watchAclMap } from "./acl/watch-acl-map.js";
import { authorize, DEFAULT_SUPER_ROLES } from "./authorize.js";
import { buildContext, type TokenleaderContext } from "./context.js";
import { checkCookieToken } from "./csrf.js";
import { type Denial, type DenialResponse, deny, isDenial, renderDenial } from "./denial.js";
import { checkEnforcerOptions } from "./enforcer-options.js";
import { EnforcerError } from "./errors.js";
import { type Explanation, explainClaims } from "./explain.js";
import { consoleLogger, type EnforcerLogger } from "./logger.js";
import type { RequestLike } from "./request.js";
import {
  followRevocations,
  type RevocationFollower,
  type RevocationsOptions,
} from "./revocations/revocation-follower.js";
import { type FoundToken, findToken } from "./token-source.js";
import { createLocalVerifier } from "./verification/local-verifier.js";
import { createRemoteVerifier } from "./verification/remote-verifier.js";

import type { TokenVerifier, VerificationOutcome } from "./verification/token-verifier.js";

export const DEFAULT_ROLE_TO_ACL_MAP_FILE = "/etc/tokenleader/role_to_acl_map.yml";
export const DEFAULT_ACCESS_COOKIE = "access_token_cookie";

export interface EnforcerOptions {
  /** Path of role_to_acl_map.yml; default /etc/tokenleader/role_to_acl_map.yml. Watched for edits. */
  roleToAclMapFile?: string;
  /** An in-memory ACL instead of a file (tests, generated config). Not combinable with the file. */
  roleToAclMap?: readonly AclEntry[];
  /** Re-read the file when it changes (default true). */
  watchAclFile?: boolean;
  /** Debounce for file-change events, ms (default 100). */
  aclReloadDebounceMs?: number;

  /** Verification key(s): PEM text, an `ssh-rsa AAAA…` line, a JWK JSON text or a KeyObject. */
  publicKey?: string | KeyObject | ReadonlyArray<string | KeyObject>;
  /** The token server's JWKS URL (`<tl_url>/.well-known/jwks.json`); keys are cached by kid. */
  jwksUrl?: string;
  jwks?: { cooldownMs?: number; timeoutMs?: number; maxAgeMs?: number };
  /**
   * Keys from a source you keep (the token server's own, which change with a key rotation):
   * asked for each token not in the verified-token cache. Keep it cheap and pin one algorithm
   * per key, as @tokenleader/client's sources do.
   */
  keySource?: KeySource;
  /**
   * Full URL of the token server's verify endpoint (`<tl_url>/token/verify_token`): every token the
   * cache does not hold is sent there, so server-side revocation is honoured.
   */
  remoteVerifyUrl?: string;
  remoteVerify?: { timeoutMs?: number; fetch?: typeof globalThis.fetch };
  /** Accepted JWS algorithms (default ['RS512'], the original's). */
  algorithms?: readonly string[];
  /**
   * The `iss` every token must carry: the token server's `[token] issuer` (by default its
   * public_url). Required with publicKey; with jwksUrl, when unset, it is learned from the
   * discovery document beside the JWKS URL (`…/.well-known/openid-configuration`). In remote mode
   * the token server checks it.
   */
  issuer?: string;
  /** Also accept tokens with no `iss` at all (tokenleader 1.8's); off by default. */
  acceptMissingIssuer?: boolean;
  /** Seconds a token's `iat`/`nbf` may lie in the future (clock skew); default 60. */
  clockLeewaySec?: number;
  /**
   * This service's name in the token server's service catalog: tokens asked for another service
   * (`aud` naming it) are refused with 401 TOKEN_INVALID. Tokens without `aud` are refused too
   * unless `acceptTokensWithoutAudience` is on. Unset (default): `aud` is not checked.
   */
  audience?: string;
  /**
   * With `audience`: also accept tokens with no `aud` (asked for without a service, or issued
   * before audiences). Off by default; a switch for the migration while clients move to
   * `getToken({ service })`.
   */
  acceptTokensWithoutAudience?: boolean;

  /** Roles granted every rule (default ['admin'] like the original; [] to disable). */
  superRoles?: readonly string[];
  /** Deny like the original: HTTP 200, text/html, `{"message": …}` only. */
  compat?: boolean;
  /**
   * @deprecated Ignored. `wfc.clientAddress` is the address your framework determined under its
   * own trust-proxy setting (Express `app.set("trust proxy", …)`, Fastify `trustProxy`).
   */
  trustProxy?: boolean | number;
  /** Accept the cookie login's access cookie; `csrf` (default true) enforces X-CSRF-TOKEN. */
  cookie?: { enabled?: boolean; csrf?: boolean; name?: string };
  /**
   * Verified-token cache: `maxEntries` (default 10000, 0 disables); `maxAgeMs` (default: until the
   * token's exp for local verification, 2 s (`REMOTE_VERDICT_MAX_AGE_MS`) for remote so revocations
   * show up quickly). With local verification a token is cached once it has been presented twice,
   * so a stream of tokens presented once does not push out the ones in steady use.
   */
  tokenCache?: { maxEntries?: number; maxAgeMs?: number };
  /**
   * Asked on every request after the signature checks out (cached or not): return false to refuse
   * a token the issuer has revoked (e.g. a logged-out session). Keep it cheap; it is on the hot path.
   * An error it throws (its database is unavailable) is not a denial: it propagates to the web
   * framework's error handling (Express `next(err)`, Fastify's error handler), so the host can
   * answer 503 instead of telling the client its token is invalid.
   */
  isTokenActive?: (claims: Readonly<Record<string, unknown>>) => boolean | Promise<boolean>;
  /**
   * Local mode only: follow the token server's revocation stream (`<tl_url>/revocations/stream`)
   * and refuse tokens of revoked users and ended sessions within a second, with no call per
   * request. Authenticates with `token` or `credentials` of an account granted
   * `tokenleader.revocations.follow`. `enforcer.close()` stops following.
   */
  revocations?: RevocationsOptions;
  logger?: EnforcerLogger;
}

export interface Allowed {
  allowed: true;
  context: TokenleaderContext;
}

export type EnforcementResult = Allowed | Denial;

export interface Enforcer {
  /** Decides one request. Never throws for request input; returns a denial instead. */
  check(req: RequestLike, rule: string): Promise<EnforcementResult>;
  /**
   * Says which role and ACL entry would grant `rule`, or why nothing does. A token (string) is
   * verified (and `isTokenActive` asked) as `check` would; claims (an object) are taken as given. `request.params` are the
   * route parameters that `{param: …}` conditions compare with.
   */
  explain(
    tokenOrClaims: string | Readonly<Record<string, unknown>>,
    rule: string,
    request?: Pick<RequestLike, "params">,
  ): Promise<Explanation>;
  /** The HTTP answer for a denial, honouring `compat`. */
  denialResponse(denial: Denial): DenialResponse;
  /** The ACL map in force (the last one that loaded successfully). */
  aclMap(): AclMap;
  /** Re-reads the ACL file now instead of waiting for a change event. */
  reloadAclMap(): Promise<void>;
  /** Stops the file watcher and the revocation follower. */
  close(): void;
  /** The revocation follower, when the `revocations` option is set. */
  readonly revocations?: RevocationFollower;
  readonly options: Readonly<{ compat: boolean; superRoles: readonly string[] }>;
}

/** How long remote mode reuses the token server's verdict on a token, by default. */
export const REMOTE_VERDICT_MAX_AGE_MS = 2_000;

/**
 * Builds the framework-free enforcer. Synchronous on purpose: the ACL file and the verification key
 * are loaded and checked here, so a broken configuration stops the service at start-up with an
 * `EnforcerError` naming the problem, not at its first request.
 */

export function createEnforcer(options: EnforcerOptions = {}): Enforcer {
  return buildEnforcer(options).enforcer;
}

/** A verdict, without a promise when nothing had to be waited for. */
export type Verdict = EnforcementResult | Promise<EnforcementResult>;

/**
 * For the framework adapters: the enforcer, and its check as `checkNow`, which answers without a
 * promise when nothing had to be waited for (a configured key, or a cached token, and no
 * asynchronous `isTokenActive`). Throws, or rejects, only with an error of `isTokenActive`.
 */
export function buildEnforcer(options: EnforcerOptions = {}): {
  enforcer: Enforcer;
  checkNow(req: RequestLike, rule: string): Verdict;
} {
  checkEnforcerOptions(options);
  const logger = options.logger ?? consoleLogger;
  const superRoles = Object.freeze([...(options.superRoles ?? DEFAULT_SUPER_ROLES)]);
  const compat = options.compat ?? false;
  if (options.trustProxy !== undefined) {
    logger.warn(
      { trustProxy: options.trustProxy },
      "the trustProxy option is ignored: clientAddress follows the web framework's trust-proxy setting",
    );
  }
  const cookieEnabled = options.cookie?.enabled ?? false;
  const csrf = options.cookie?.csrf ?? true;
  const cookieName = cookieEnabled ? (options.cookie?.name ?? DEFAULT_ACCESS_COOKIE) : undefined;

  const audiencePolicy = {
    audience: options.audience,
    acceptMissingAudience: options.acceptTokensWithoutAudience ?? false,
  };
  const acl = openAclMap(options, logger);
  const verifier = createVerifier(options, logger);
  const revocations = startRevocations(options, verifier, logger);
  const cache = createVerifiedTokenCache({
    maxEntries: options.tokenCache?.maxEntries ?? 10_000,
    // A local verification costs tens of microseconds, about what caching a token that is never
    // presented again costs (insert, eviction, garbage kept alive): tokens are cached when seen a
    // second time. Remote mode caches every verdict: each miss there is a call to the server.
    admission: verifier.kind === "local" ? "second-sighting" : "always",
    // Remote mode exists for server-side revocation, so its verdicts are reused only briefly:
    // as long as the token server itself may take to see a revocation made elsewhere (2 s).
    maxAgeMs:
      options.tokenCache?.maxAgeMs ??
      (verifier.kind === "remote" ? REMOTE_VERDICT_MAX_AGE_MS : Number.POSITIVE_INFINITY),
  });

  // Local verification with a configured key needs no waiting, and then neither does the whole
  // check: no promise per step, which on the uncached path cost about as much as the claims check.
  const verifySync = verifier.verifySync;
  const remember = (token: string, outcome: VerificationOutcome): VerificationOutcome => {
    if (!isDenial(outcome)) cache.set(token, outcome.claims, Date.now());
    return outcome;
  };

  function verifyCached(token: string): VerificationOutcome | Promise<VerificationOutcome> {
    const now = Date.now();
    const hit = cache.get(token, now);
    if (hit === "expired") return deny("TOKEN_EXPIRED", "the token has expired");
    if (hit) return { ok: true, claims: hit.claims };
    if (verifySync) return remember(token, verifySync(token));
    return verifier.verify(token).then((outcome) => remember(token, outcome));
  }

  function check(req: RequestLike, rule: string): Verdict {
    const found = findToken(req, { cookieName });
    if (isDenial(found)) return found;
    const verified = verifyCached(found.token);
    return verified instanceof Promise
      ? verified.then((outcome) => checkVerified(req, rule, found, outcome))
      : checkVerified(req, rule, found, verified);
  }

  function checkVerified(
    req: RequestLike,
    rule: string,
    found: FoundToken,
    verified: VerificationOutcome,
  ): Verdict {
    if (isDenial(verified)) return verified;
    const wrongAudience = audienceProblem(verified.claims, audiencePolicy);
    if (wrongAudience !== null) return deny("TOKEN_INVALID", wrongAudience);
    if (revocations?.state.isRevoked(verified.claims)) return revokedDenial();
    if (options.isTokenActive) {
      const active = askIsTokenActive(options.isTokenActive, verified.claims);
      if (isPromiseLike(active)) {
        return active.then((yes) =>
          yes ? admit(req, rule, found, verified.claims) : revokedDenial(),
        );
      }
      if (!active) return revokedDenial();
    }
    return admit(req, rule, found, verified.claims);
  }

  function admit(
    req: RequestLike,
    rule: string,
    found: FoundToken,
    claims: Record<string, unknown>,
  ): EnforcementResult {
    if (found.source === "cookie") {
      const cookieDenial = checkCookieToken(req, claims, { csrf });
      if (cookieDenial) return cookieDenial;
    }

    const decision = authorize(claims, rule, acl.current(), {
      superRoles,
      params: req.params,
    });
    if (!decision.allowed || !decision.user || decision.grantedByRole === undefined) {
      logger.debug?.({ rule, reason: decision.detail }, "request denied");
      return deny(
        decision.code === "CLAIMS_INVALID" ? "CLAIMS_INVALID" : "RULE_NOT_GRANTED",
        decision.reason,
      );
    }
    return {
      allowed: true,
      context: buildContext({
        req,
        user: decision.user,
        claims,
        rule,
        grantedByRole: decision.grantedByRole,
        tokenSource: found.source,
      }),
    };
  }

  /** An unexpected throw: the host's own check failing reaches the host, anything else denies. */
  function unexpected(rule: string, err: unknown): EnforcementResult {
    if (err instanceof HostCheckFailure) throw err.cause;
    // Every known failure is already a denial; this is a last guard so a bug in a dependency
    // denies the request instead of crashing the service or letting it through.
    logger.error({ rule, err: (err as Error)?.message }, "enforcer failed unexpectedly");
    return deny("TOKEN_INVALID", "the token could not be checked");
  }

  function checkNow(req: RequestLike, rule: string): Verdict {
    try {
      const verdict = check(req, rule);
      return verdict instanceof Promise ? verdict.catch((err) => unexpected(rule, err)) : verdict;
    } catch (err) {
      return unexpected(rule, err);
    }
  }

  const enforcer: Enforcer = {
    async check(req, rule) {
      return checkNow(req, rule);
    },
    async explain(tokenOrClaims, rule, request) {
      let claims: Readonly<Record<string, unknown>> = tokenOrClaims as Record<string, unknown>;
      if (typeof tokenOrClaims === "string") {
        const verified = await verifyCached(tokenOrClaims);
        if (isDenial(verified)) {
          return { allowed: false, rule, code: verified.code, reason: verified.reason };
        }
        // As check() would: the audience, the followed revocations, the host's own check (an
        // error of which propagates: it is no verdict).
        const wrongAudience = audienceProblem(verified.claims, audiencePolicy);
        if (wrongAudience !== null) {
          return { allowed: false, rule, code: "TOKEN_INVALID", reason: wrongAudience };
        }
        const revoked =
          revocations?.state.isRevoked(verified.claims) ||
          (options.isTokenActive && !(await options.isTokenActive(verified.claims)));
        if (revoked) {
          return {
            allowed: false,
            rule,
            code: "TOKEN_REVOKED",
            reason: "the token has been revoked",
          };
        }
        claims = verified.claims;
      }
      return explainClaims(claims, rule, acl.current(), { superRoles, params: request?.params });
    },
    denialResponse: (denial) => renderDenial(denial, { compat }),
    aclMap: () => acl.current(),
    reloadAclMap: () => acl.reload(),
    close: () => {
      acl.close();
      revocations?.close();
    },
    ...(revocations ? { revocations } : {}),
    options: Object.freeze({ compat, superRoles }),
  };
  return { enforcer, checkNow };
}

/** Validates a rule name given to `enforce()`; wiring mistakes show when routes are declared. */
export function assertRuleName(rule: unknown): asserts rule is string {
  if (typeof rule !== "string" || rule.trim() === "") {
    throw new EnforcerError(
      "ENFORCER_OPTIONS_INVALID",
      "enforce(rule): the rule name must be a non-empty string",
    );
  }
}

function openAclMap(options: EnforcerOptions, logger: EnforcerLogger): AclMapWatcher {
  if (options.roleToAclMap !== undefined) {
    if (options.roleToAclMapFile !== undefined) {
      throw new EnforcerError(
        "ENFORCER_OPTIONS_INVALID",
        "give either roleToAclMapFile or roleToAclMap, not both",
      );
    }
    // Validated like a file so an in-memory map cannot smuggle in what a file could not.
    const map = compileAclMap(validateAclEntries(options.roleToAclMap, "roleToAclMap option"));
    return { current: () => map, reload: async () => {}, close: () => {} };
  }
  const path = options.roleToAclMapFile ?? DEFAULT_ROLE_TO_ACL_MAP_FILE;
  const { map, text } = loadAclMapSync(path);
  if (options.watchAclFile === false) {
    return { current: () => map, reload: async () => {}, close: () => {} };
  }
  return watchAclMap(path, {
    initial: map,
    initialText: text,
    logger,
    debounceMs: options.aclReloadDebounceMs,
  });
}

function createVerifier(options: EnforcerOptions, logger: EnforcerLogger): TokenVerifier {
  const modes = [
    options.publicKey !== undefined && "publicKey",
    options.jwksUrl !== undefined && "jwksUrl",
    options.keySource !== undefined && "keySource",
    options.remoteVerifyUrl !== undefined && "remoteVerifyUrl",
  ].filter(Boolean);
  if (modes.length !== 1) {
    throw new EnforcerError(
      "ENFORCER_OPTIONS_INVALID",
      modes.length === 0
        ? "tokens cannot be verified: set one of publicKey, jwksUrl, keySource or remoteVerifyUrl"
        : `set only one of publicKey, jwksUrl, keySource and remoteVerifyUrl (got ${modes.join(", ")})`,
    );
  }
  const algorithms = options.algorithms ?? ["RS512"];
  if (options.remoteVerifyUrl !== undefined) {
    return createRemoteVerifier({
      url: options.remoteVerifyUrl,
      timeoutMs: options.remoteVerify?.timeoutMs ?? 5_000,
      logger,
      fetch: options.remoteVerify?.fetch,
    });
  }
  return createLocalVerifier({
    publicKey: options.publicKey,
    jwksUrl: options.jwksUrl,
    jwks: options.jwks,
    keySource: options.keySource,
    algorithms,
    issuer: options.issuer,
    acceptMissingIssuer: options.acceptMissingIssuer,
    clockLeewaySec: options.clockLeewaySec,
    logger,
  });
}

function startRevocations(
  options: EnforcerOptions,
  verifier: TokenVerifier,
  logger: EnforcerLogger,
): RevocationFollower | undefined {
  const revocations = options.revocations;
  if (revocations === undefined) return undefined;
  if (verifier.kind === "remote") {
    throw new EnforcerError(
      "ENFORCER_OPTIONS_INVALID",
      "revocations is for local verification; remoteVerifyUrl already asks the server per token",
    );
  }
  if ((revocations.token === undefined) === (revocations.credentials === undefined)) {
    throw new EnforcerError(
      "ENFORCER_OPTIONS_INVALID",
      "revocations needs exactly one of token and credentials",
    );
  }
  return followRevocations(revocations, logger);
}

/** Carries an error of the host's isTokenActive past the enforcer's last-guard denial. */
class HostCheckFailure extends Error {
  constructor(override readonly cause: unknown) {
    super("isTokenActive failed");
  }
}

function askIsTokenActive(
  isTokenActive: NonNullable<EnforcerOptions["isTokenActive"]>,
  claims: Readonly<Record<string, unknown>>,
): boolean | Promise<boolean> {
  let answer: boolean | PromiseLike<boolean>;
  try {
    answer = isTokenActive(claims);
  } catch (error) {
    throw new HostCheckFailure(error);
  }
  if (!isPromiseLike(answer)) return answer;
  return Promise.resolve(answer).catch((error: unknown) => {
    throw new HostCheckFailure(error);
  });
}

function revokedDenial(): Denial {
  return deny("TOKEN_REVOKED", "the token has been revoked");
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === "function";
}
