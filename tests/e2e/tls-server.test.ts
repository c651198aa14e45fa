import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAdhocCertificate } from "../../packages/server/src/tls/index.js";
import { httpsRequest } from "./support/https-request.js";
import { startTokenleaderServer, type TokenleaderServer } from "./support/server-process.js";

// HTTPS served by tokenleader-server itself, as a real process: the original's ad-hoc certificate
// (`ssl = enabled`, `ssl_settings = adhoc`), and certificate files replaced on disk and reloaded
// on SIGHUP without a restart; a broken file on reload keeps the certificate in use.

const CURL = ["/usr/bin/curl", "/usr/local/bin/curl"].find((path) => existsSync(path));

/** GET over HTTPS without verification: with curl -k where it is installed, else with node. */
function insecureGet(url: string): Promise<{ code: number; body: string }> {
  if (CURL === undefined) {
    return httpsRequest(url).then((res) => ({ code: res.status === 200 ? 0 : 22, body: res.body }));
  }
  return new Promise((resolve) => {
    execFile(CURL, ["-k", "-sS", "--fail", "--max-time", "10", url], (error, stdout) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, body: stdout });
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("ssl = enabled, ssl_settings = adhoc", () => {
  let server: TokenleaderServer;

  beforeAll(async () => {
    server = await startTokenleaderServer({
      https: true,
      ini: { flask_default: ["ssl = enabled", "ssl_settings = adhoc"] },
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers over HTTPS with curl -k", async () => {
    const res = await insecureGet(`${server.url}/healthz`);
    expect(res).toEqual({ code: 0, body: '{"status":"ok"}' });
  });

  it("serves a self-signed certificate for localhost and 127.0.0.1, refused when verified", async () => {
    const res = await httpsRequest(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(res.subjectAltName).toMatch(/DNS:localhost/);
    expect(res.subjectAltName).toMatch(/IP Address:127\.0\.0\.1/);
    await expect(httpsRequest(`${server.url}/healthz`, { verify: true })).rejects.toThrow(
      /self[- ]signed/i,
    );
  });

  it("issues tokens over HTTPS, and its issuer is the https URL", async () => {
    const res = await httpsRequest(`${server.url}/token/gettoken`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: server.adminPassword }),
    });
    expect(res.status, res.body).toBe(201);
    const token = JSON.parse(res.body).auth_token as string;
    const claims = JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString());
    expect(claims.iss).toBe(server.url);
  });

  it("does not speak plain HTTP on that port", async () => {
    await expect(fetch(`${server.url.replace("https:", "http:")}/healthz`)).rejects.toThrow();
  });
});

describe("ssl_settings = files, reloaded on SIGHUP", () => {
  let dir: string;
  let server: TokenleaderServer | undefined;
  let first: { cert: string; key: string; fingerprint256: string };
  let second: { cert: string; key: string; fingerprint256: string };
  const certFile = () => join(dir, "cert.pem");
  const keyFile = () => join(dir, "key.pem");
  const install = async (cert: string, key: string) => {
    await writeFile(certFile(), cert);
    await writeFile(keyFile(), key, { mode: 0o600 });
  };
  const tlsIni = () => ({
    flask_default: ["ssl = enabled", "ssl_settings = files"],
    server: [`tls_cert_file = ${certFile()}`, `tls_key_file = ${keyFile()}`],
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tl-tls-files-"));
    [first, second] = await Promise.all([
      generateAdhocCertificate({ names: ["localhost", "127.0.0.1"] }),
      generateAdhocCertificate({ names: ["localhost", "127.0.0.1"] }),
    ]);
    expect(first.fingerprint256).not.toBe(second.fingerprint256);
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses to start with a missing file or a key of another certificate, naming them", async () => {
    await expect(startTokenleaderServer({ https: true, ini: tlsIni() })).rejects.toThrow(
      `tokenleader-server: [server] tls_cert_file ${join(dir, "cert.pem")}: does not exist`,
    );
    await install(first.cert, second.key);
    await expect(startTokenleaderServer({ https: true, ini: tlsIni() })).rejects.toThrow(
      new RegExp(
        `exited with 2:[\\s\\S]*tls_key_file ${keyFile()}: is not the private key of the certificate in ${certFile()}`,
      ),
    );
  });

  it("serves the files, then the replaced ones after SIGHUP, in the same process", async () => {
    await install(first.cert, first.key);
    server = await startTokenleaderServer({ https: true, ini: tlsIni() });
    expect((await httpsRequest(`${server.url}/healthz`)).fingerprint256).toBe(first.fingerprint256);

    await install(second.cert, second.key);
    process.kill(server.pid, "SIGHUP");
    const served = await until("the new certificate", async () => {
      const res = await httpsRequest(`${server?.url}/healthz`);
      return res.fingerprint256 === second.fingerprint256 ? res : undefined;
    });
    expect(served.status).toBe(200);
    expect(server.output()).not.toMatch(/exited|stopped/);
  });

  it("keeps the certificate in use when a file is broken on SIGHUP, and logs why", async () => {
    if (!server) throw new Error("the previous test starts the server");
    const running = server;
    await writeFile(certFile(), "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
    process.kill(running.pid, "SIGHUP");
    await until("the reload error in the log", async () =>
      /TLS certificate not reloaded/.test(running.output()) ? true : undefined,
    );
    expect(running.output()).toMatch(
      /tls_cert_file [^ ]*cert\.pem: a certificate in it cannot be read/,
    );
    const res = await httpsRequest(`${running.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.fingerprint256).toBe(second.fingerprint256);

    // A certificate with the wrong key is kept out the same way.
    await install(first.cert, second.key);
    process.kill(running.pid, "SIGHUP");
    await until("the mismatch in the log", async () =>
      /is not the private key of the certificate/.test(running.output()) ? true : undefined,
    );
    expect((await httpsRequest(`${running.url}/healthz`)).fingerprint256).toBe(
      second.fingerprint256,
    );
  });
});
