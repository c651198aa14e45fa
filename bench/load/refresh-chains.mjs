// POST /refresh rotations per second. wrk cannot do this: every answer carries the next refresh
// token, and presenting one twice ends the session (re-use detection). So each of CONNECTIONS
// chains logs in once (not timed), then rotates its own refresh token as fast as answers come,
// in this separate process. Prints one JSON line like bench/lib/wrk-output.mjs.
const spec = JSON.parse(process.argv[2]);

function cookiesOf(res) {
  const jar = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    jar[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return jar;
}

async function logIn() {
  const login = await fetch(`${spec.base}/login`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ username: spec.username, password: spec.password }),
  });
  await login.arrayBuffer();
  const jar = cookiesOf(login);
  if (!jar.refresh_token_cookie) throw new Error(`bench: /login answered ${login.status}`);
  return jar;
}

async function chain(firstJar, latencies, deadline) {
  let jar = firstJar;
  let non2xx = 0;
  while (performance.now() < deadline) {
    const t0 = performance.now();
    const res = await fetch(`${spec.base}/refresh`, {
      method: "POST",
      headers: {
        cookie: `refresh_token_cookie=${jar.refresh_token_cookie}`,
        "x-csrf-token": jar.csrf_refresh_token,
      },
    });
    await res.arrayBuffer();
    latencies.push(performance.now() - t0);
    if (!res.ok) {
      non2xx++;
      break;
    }
    jar = { ...jar, ...cookiesOf(res) };
  }
  return non2xx;
}

// Logins first (each costs a password hash), then the clock starts.
const jars = await Promise.all(Array.from({ length: spec.connections }, logIn));
const latencies = [];
const started = performance.now();
const deadline = started + spec.seconds * 1000;
const failures = await Promise.all(jars.map((jar) => chain(jar, latencies, deadline)));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(
  JSON.stringify({
    perSecond: latencies.length / elapsed,
    requests: latencies.length,
    p50Ms: pick(0.5),
    p99Ms: pick(0.99),
    non2xx: failures.reduce((a, b) => a + b, 0),
    socketErrors: 0,
  }),
);
