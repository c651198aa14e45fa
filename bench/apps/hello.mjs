// The yardstick: a Fastify hello-world. LOG=info logs as Fastify does by default when a logger
// is on (two lines per request, to stdout); LOG=off has no logger at all.
import Fastify from "fastify";

const app = Fastify({ logger: process.env.LOG === "info" ? { level: "info" } : false });
app.get("/", async () => ({ hello: "world" }));
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
