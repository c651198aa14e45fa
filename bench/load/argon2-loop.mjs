// The bare password hash at a given concurrency: CONCURRENCY loops of @node-rs/argon2's async
// verify (the server's library, parameters as [passwords] defaults) for SECONDS. Prints one JSON
// line with verifications per second: what logins per second would be if a login were only the
// hash.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const argon2 = createRequire(path.join(root, "packages/server/package.json"))("@node-rs/argon2");
const { CONCURRENCY, SECONDS, MEMORY_COST, TIME_COST, PARALLELISM } = process.env;

const password = "bench-password-1";
const hash = await argon2.hash(password, {
  algorithm: 2, // Argon2id (a const enum in the typings)
  memoryCost: Number(MEMORY_COST),
  timeCost: Number(TIME_COST),
  parallelism: Number(PARALLELISM),
});
const deadline = performance.now() + Number(SECONDS) * 1000;
let done = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: Number(CONCURRENCY) }, async () => {
    while (performance.now() < deadline) {
      if (!(await argon2.verify(hash, password))) throw new Error("argon2 verify failed");
      done++;
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
console.log(JSON.stringify({ perSecond: done / elapsed, requests: done }));
