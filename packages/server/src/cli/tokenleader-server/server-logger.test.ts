import { Writable } from "node:stream";
import { expect, it } from "vitest";
import { createServerLogger } from "./server-logger.js";

it("censors passwords, tokens and auth headers in log lines", () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createServerLogger("info", sink);
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
  const text = lines.join("");
  for (const secret of ["hunter2-secret", "eyJhbGciOi", "abc.def.ghi", "pw-in-body", "c=1"]) {
    expect(text).not.toContain(secret);
  }
  expect(text).toContain('"username":"admin"');
  expect(text).toContain("[redacted]");
});
