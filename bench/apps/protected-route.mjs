// One protected route, GET /data, in Fastify or Express, behind @tokenleader/enforcer or behind
// the usual alternative (@fastify/jwt, express-jwt) plus the same role check. Both sides verify
// RS512 with the same PEM public key, check the issuer and answer the same JSON.
//   FRAMEWORK=fastify|express  GUARD=enforcer|alternative  PORT  PUBLIC_KEY_FILE  ISSUER
//   ACL_FILE (role_to_acl_map.yml)  CACHE_ENTRIES (enforcer's verified-token cache size)
//   REVOCATIONS_URL, REVOCATIONS_USERNAME, REVOCATIONS_PASSWORD: the enforcer follows a token
//   server's revocation stream (issue 17) with that account; it listens once the stream is open.
import { readFileSync } from "node:fs";

const { FRAMEWORK, GUARD, PORT, PUBLIC_KEY_FILE, ISSUER, ACL_FILE } = process.env;
const publicKey = readFileSync(PUBLIC_KEY_FILE, "utf8");
const RULE = "bench.read";
// The alternative's role check: the roles the ACL file grants the rule, looked up per request.
const GRANTING_ROLES = new Set(["bench-reader"]);
const enforcerOptions = {
  roleToAclMapFile: ACL_FILE,
  watchAclFile: false,
  publicKey,
  issuer: ISSUER,
  superRoles: [],
  tokenCache: { maxEntries: Number(process.env.CACHE_ENTRIES ?? 10_000) },
  ...(process.env.REVOCATIONS_URL
    ? {
        revocations: {
          url: process.env.REVOCATIONS_URL,
          credentials: {
            username: process.env.REVOCATIONS_USERNAME,
            password: process.env.REVOCATIONS_PASSWORD,
          },
        },
      }
    : {}),
};
const grants = (user) =>
  Array.isArray(user?.sub?.roles) && user.sub.roles.some((role) => GRANTING_ROLES.has(role));

if (FRAMEWORK === "fastify") {
  const { default: Fastify } = await import("fastify");
  const app = Fastify({ logger: false });
  if (GUARD === "enforcer") {
    const { createEnforcer } = await import("@tokenleader/enforcer/fastify");
    const enforcer = createEnforcer(enforcerOptions);
    await enforcer.revocations?.ready();
    await app.register(enforcer.plugin);
    app.get("/data", { preHandler: enforcer.enforce(RULE) }, async (request) => ({
      org: request.wfc.org,
    }));
  } else {
    const { default: fastifyJwt } = await import("@fastify/jwt");
    await app.register(fastifyJwt, {
      secret: { public: publicKey },
      verify: { algorithms: ["RS512"], allowedIss: ISSUER },
    });
    const guard = async (request, reply) => {
      try {
        await request.jwtVerify();
      } catch {
        return reply.code(401).send({ message: "invalid token" });
      }
      if (!grants(request.user)) return reply.code(403).send({ message: "forbidden" });
    };
    app.get("/data", { preHandler: guard }, async (request) => ({
      org: request.user.sub.wfc.org,
    }));
  }
  await app.listen({ port: Number(PORT), host: "127.0.0.1" });
} else {
  const { default: express } = await import("express");
  const app = express();
  if (GUARD === "enforcer") {
    const { createEnforcer } = await import("@tokenleader/enforcer/express");
    const enforcer = createEnforcer(enforcerOptions);
    await enforcer.revocations?.ready();
    app.get("/data", enforcer.enforce(RULE), (req, res) => res.json({ org: req.wfc.org }));
  } else {
    const { expressjwt } = await import("express-jwt");
    const verify = expressjwt({ secret: publicKey, algorithms: ["RS512"], issuer: ISSUER });
    const roleCheck = (req, res, next) =>
      grants(req.auth) ? next() : res.status(403).json({ message: "forbidden" });
    app.get("/data", verify, roleCheck, (req, res) => res.json({ org: req.auth.sub.wfc.org }));
    app.use((err, _req, res, _next) =>
      res.status(err.status ?? 500).json({ message: err.message }),
    );
  }
  app.get("/", (_req, res) => res.json({ ready: true }));
  await new Promise((resolve) => app.listen(Number(PORT), "127.0.0.1", resolve));
}
