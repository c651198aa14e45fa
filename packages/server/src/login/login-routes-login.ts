// GET / and GET /login (the HTML form) and POST /login: JSON for machines (200 {"login": true} /
// 403 {"login": false}), the form for people (302 to the status page / 403 page with the hint),
// urlencoded or multipart/form-data (the original's `curl -F`), both checked alike.
// Fixes over the original: bad input is a 400/403/415 with {"login": false}, never a 500; the
// form carries login CSRF protection; failed attempts are limited by the guessing policy and every
// attempt is written to the audit log (the failure reason, never the password).

import {
  PASSWORD_MAX_LENGTH as MAX_PASSWORD_LENGTH,
  USERNAME_MAX_LENGTH as MAX_USERNAME_LENGTH,
} from "@tokenleader/client/settings";
import { escapeControlCharacters } from "@tokenleader/client/terminal";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { GuessingPolicy } from "../guessing/index.js";
import { serverMetrics } from "../metrics/index.js";
import { LOGIN_CSRF_COOKIE, LOGIN_CSRF_FIELD } from "./csrf.js";
import { setLoginCsrfCookie } from "./login-cookies.js";
import { LOGIN_UNSUPPORTED_TYPE } from "./login-limits.js";
import { readMultipartForm } from "./login-multipart.js";
import type { LoginRuntime } from "./login-runtime.js";
import {
  LOGIN_ROUTE_OPTIONS,
  loginFormSchema,
  postLoginSchema,
  rootPageSchema,
} from "./login-schemas.js";
import { LOGIN_PAGE_HEADERS, type LoginPageHint, renderLoginPage } from "./page.js";
import { recordLoginEvent } from "./record-login-event.js";
import { openSession } from "./session-cookies.js";

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/;
const FORM_TYPE = "application/x-www-form-urlencoded";
const MULTIPART_TYPE = "multipart/form-data";

type FailureReason =
  | "unknown-user"
  | "wrong-password"
  | "missing-credentials"
  | "bad-input"
  | "login-csrf"
  | "rate-limited";

export function registerLoginRoutes(
  app: FastifyInstance,
  runtime: LoginRuntime,
  guessing: GuessingPolicy,
): void {
  const { login, loginCsrf, users } = runtime;

  const sendPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    hint: LoginPageHint,
    username?: string,
  ) => {
    const pair = loginCsrf.issueFor(request.cookies[LOGIN_CSRF_COOKIE]);
    setLoginCsrfCookie(reply, login, pair.cookieValue);
    return reply
      .code(status)
      .headers(LOGIN_PAGE_HEADERS)
      .send(
        renderLoginPage({
          csrfField: pair.fieldValue,
          hint,
          ...(username !== undefined ? { username } : {}),
        }),
      );
  };

  const audit = async (
    request: FastifyRequest,
    outcome: "success" | "failure",
    details: { username?: string; source?: string; reason?: FailureReason; via: "json" | "form" },
  ) => {
    const { username } = details;
    serverMetrics.login(
      "login",
      outcome === "success" ? "success" : details.reason === "rate-limited" ? "limited" : "failure",
    );
    const line = { event: "login", outcome, ip: request.ip, ...details };
    if (username !== undefined) line.username = escapeControlCharacters(username);
    if (outcome === "success") request.log.info(line, "login succeeded");
    else request.log.warn(line, "login failed");
    await recordLoginEvent(runtime.audit, request.ip, outcome, details);
  };

  const showForm = async (request: FastifyRequest, reply: FastifyReply) =>
    sendPage(request, reply, 200, "none");
  app.get("/", { ...LOGIN_ROUTE_OPTIONS, schema: rootPageSchema }, showForm);
  app.get("/login", { ...LOGIN_ROUTE_OPTIONS, schema: loginFormSchema }, showForm);

  /**
   * Checks the password unless the guessing policy refuses (the account or the address used up
   * its failures): `null` then, and the 429 is sent (JSON for machines, the login page with a
   * hint for people), the same for existing and unknown users.
   */
  const authenticateLimited = async (
    request: FastifyRequest,
    reply: FastifyReply,
    username: string,
    password: string,
    via: "json" | "form",
  ) => {
    const guarded = await guessing.check(
      { account: username, source: request.ip },
      () => users.authenticate(username, password),
      (attempt) => (attempt.ok ? "success" : "failure"),
    );
    if (!guarded.limited) return guarded.result;
    const { retryAfterSec } = guarded;
    audit(request, "failure", { username, reason: "rate-limited", via });
    reply.header("retry-after", String(retryAfterSec));
    if (via === "form") {
      await sendPage(request, reply, 429, "too-many-attempts", username);
      return null;
    }
    await reply.code(429).send({
      login: false,
      msg: `too many failed login attempts; try again in ${retryAfterSec} s`,
    });
    return null;
  };

  app.post(
    "/login",
    { ...LOGIN_ROUTE_OPTIONS, schema: postLoginSchema },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      const mime = mimeType(request.headers["content-type"]);
      if (mime === FORM_TYPE) return formLogin(request, reply, request.body);
      if (mime === MULTIPART_TYPE && request.isMultipart()) {
        const form = await readMultipartForm(request, reply);
        if (!form.ok) {
          audit(request, "failure", { reason: "bad-input", via: "form" });
          return reply.code(form.status).send({ login: false, msg: form.msg });
        }
        return formLogin(request, reply, form.fields);
      }
      if (mime !== undefined && JSON_TYPE.test(mime)) return jsonLogin(request, reply);
      if (request.body === undefined || request.body === null || request.body === "") {
        // The original's fallback for "nothing usable".
        audit(request, "failure", { reason: "missing-credentials", via: "json" });
        return reply.code(403).send({ login: false });
      }
      audit(request, "failure", { reason: "bad-input", via: "json" });
      return reply.code(415).send({ login: false, msg: LOGIN_UNSUPPORTED_TYPE });
    },
  );

  async function jsonLogin(request: FastifyRequest, reply: FastifyReply) {
    const body = request.body;
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      audit(request, "failure", { reason: "bad-input", via: "json" });
      return reply
        .code(400)
        .send({ login: false, msg: "the body must be a JSON object with username and password" });
    }
    const { username, password } = body as Record<string, unknown>;
    if (username === undefined || password === undefined || username === "" || password === "") {
      audit(request, "failure", {
        ...(typeof username === "string" ? { username } : {}),
        reason: "missing-credentials",
        via: "json",
      });
      return reply.code(403).send({ login: false });
    }
    const problem = credentialProblem(username, password);
    if (problem !== null) {
      audit(request, "failure", { reason: "bad-input", via: "json" });
      return reply.code(400).send({ login: false, msg: problem });
    }
    const attempt = await authenticateLimited(
      request,
      reply,
      username as string,
      password as string,
      "json",
    );
    if (attempt === null) return reply;
    if (!attempt.ok) {
      audit(request, "failure", {
        username: username as string,
        reason: attempt.reason,
        via: "json",
      });
      return reply.code(403).send({ login: false });
    }
    await openSession(reply, runtime, attempt.user);
    audit(request, "success", {
      username: attempt.user.username,
      source: attempt.user.source,
      via: "json",
    });
    return reply.code(200).send({ login: true });
  }

  /** The form path: the fields of a urlencoded or multipart body, checked alike. */
  async function formLogin(request: FastifyRequest, reply: FastifyReply, body: unknown) {
    const fields = (body ?? {}) as Record<string, unknown>;
    const username = typeof fields["username"] === "string" ? fields["username"] : undefined;
    if (!loginCsrf.verify(request.cookies[LOGIN_CSRF_COOKIE], fields[LOGIN_CSRF_FIELD])) {
      audit(request, "failure", {
        ...(username ? { username } : {}),
        reason: "login-csrf",
        via: "form",
      });
      return sendPage(request, reply, 403, "form-expired", username);
    }
    const password = fields["password"];
    if (
      username === undefined ||
      username === "" ||
      typeof password !== "string" ||
      password === "" ||
      credentialProblem(username, password) !== null
    ) {
      audit(request, "failure", { reason: "missing-credentials", via: "form" });
      return sendPage(
        request,
        reply,
        403,
        "wrong-credentials",
        username?.slice(0, MAX_USERNAME_LENGTH),
      );
    }
    const attempt = await authenticateLimited(request, reply, username, password, "form");
    if (attempt === null) return reply;
    if (!attempt.ok) {
      audit(request, "failure", { username, reason: attempt.reason, via: "form" });
      return sendPage(request, reply, 403, "wrong-credentials", username);
    }
    await openSession(reply, runtime, attempt.user);
    audit(request, "success", {
      username: attempt.user.username,
      source: attempt.user.source,
      via: "form",
    });
    // Fixed target (a setting): there is no `next` parameter, so no open redirect.
    return reply.code(302).header("location", login.redirectAfterLogin).send();
  }
}

function credentialProblem(username: unknown, password: unknown): string | null {
  if (typeof username !== "string" || typeof password !== "string") {
    return "username and password must be strings";
  }
  if (username.length > MAX_USERNAME_LENGTH) {
    return `username is longer than ${MAX_USERNAME_LENGTH} characters`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `password is longer than ${MAX_PASSWORD_LENGTH} characters`;
  }
  return null;
}

function mimeType(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const mime = header.split(";", 1)[0]?.trim().toLowerCase();
  return mime === "" ? undefined : mime;
}
