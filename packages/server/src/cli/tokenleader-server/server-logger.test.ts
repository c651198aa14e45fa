import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { chooseLogFormat, createServerLogger, type LogFormat } from "./server-logger.js";

function capture(format: LogFormat) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createServerLogger("info", sink, format), text: () => lines.join("") };
}

const SECRETS = ["hunter2-secret", "eyJhbGciOi", "abc.def.ghi", "pw-in-body", "c=1"];
const logWithSecrets = (logger: ReturnType<typeof createServerLogger>) =>
  logger.info(
    {
      password: "hunter2-secret",
      auth_token: "eyJhbGciOi.secret.token",
      req: {
        headers: {
          authorization: "Bearer abc.def.ghi",
          "x-auth-token": "abc.def.ghi",
          cookie: "c=1",
        },
      },
      body: { password: "pw-in-body" },
      username: "admin",
    },
    "login",
  );

describe("server log", () => {
  it("censors passwords, tokens and auth headers in log lines", () => {
    const { logger, text } = capture("json");
    logWithSecrets(logger);
    for (const secret of SECRETS) expect(text()).not.toContain(secret);
    expect(text()).toContain('"username":"admin"');
    expect(text()).toContain("[redacted]");
  });

  it("json: one JSON object per line", () => {
    const { logger, text } = capture("json");
    logger.info({ port: 5001 }, "listening");
    const lines = text().trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 30,
      name: "tokenleader-server",
      msg: "listening",
      port: 5001,
    });
  });

  it("pretty: a readable line with time, level and message, secrets still censored", () => {
    const { logger, text } = capture("pretty");
    logger.info({ port: 5001 }, "listening");
    expect(text()).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: listening\n\s+port: 5001\n/,
    );

    const secrets = capture("pretty");
    logWithSecrets(secrets.logger);
    for (const secret of SECRETS) expect(secrets.text()).not.toContain(secret);
    expect(secrets.text()).toContain('username: "admin"');
  });
});

describe("log format", () => {
  it("readable lines on a terminal, JSON anywhere else", () => {
    expect(chooseLogFormat({ isTTY: true, env: {} })).toBe("pretty");
    expect(chooseLogFormat({ isTTY: false, env: {} })).toBe("json");
    expect(chooseLogFormat({ isTTY: true, env: { TOKENLEADER_LOG_FORMAT: "auto" } })).toBe(
      "pretty",
    );
  });

  it("TOKENLEADER_LOG_FORMAT forces either", () => {
    expect(chooseLogFormat({ isTTY: true, env: { TOKENLEADER_LOG_FORMAT: "json" } })).toBe("json");
    expect(chooseLogFormat({ isTTY: false, env: { TOKENLEADER_LOG_FORMAT: "pretty" } })).toBe(
      "pretty",
    );
    expect(chooseLogFormat({ isTTY: false, env: { TOKENLEADER_LOG_FORMAT: " Pretty " } })).toBe(
      "pretty",
    );
  });

  it("refuses an unknown format with one line naming the variable and the choices", () => {
    expect(() => chooseLogFormat({ isTTY: false, env: { TOKENLEADER_LOG_FORMAT: "xml" } })).toThrow(
      'environment variable TOKENLEADER_LOG_FORMAT: "xml" is not one of json, pretty, auto',
    );
  });
});
