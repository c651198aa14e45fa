import net from "node:net";

// A TCP proxy between the server and PostgreSQL that can stop forwarding, as a network that
// drops packets (or a database host that froze) would: the connections stay open but no byte
// goes through, so only timeouts can tell.

export interface TcpProxy {
  /** The proxy's port on 127.0.0.1. */
  readonly port: number;
  /** Connections made through the proxy so far. */
  readonly connectionsMade: number;
  /** Existing connections stop forwarding for good; with `newConnections`, so do new ones. */
  blackhole(options: { newConnections: boolean }): void;
  /** New connections are forwarded again (the frozen ones stay frozen). */
  forwardNewConnections(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<{ client: net.Socket; upstream: net.Socket | null; frozen: boolean }>();
  let freezeNew = false;
  let connectionsMade = 0;

  const server = net.createServer((client) => {
    connectionsMade += 1;
    const link = { client, upstream: null as net.Socket | null, frozen: freezeNew };
    open.add(link);
    client.on("error", () => {});
    client.on("close", () => {
      open.delete(link);
      link.upstream?.destroy();
    });
    if (link.frozen) return; // accepted, never answered
    const upstream = net.connect(target.port, target.host);
    link.upstream = upstream;
    upstream.on("error", () => client.destroy());
    upstream.on("close", () => {
      if (!link.frozen) client.destroy();
    });
    client.on("data", (chunk) => {
      if (!link.frozen) upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (!link.frozen) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    get connectionsMade() {
      return connectionsMade;
    },
    blackhole({ newConnections }) {
      for (const link of open) link.frozen = true;
      freezeNew = newConnections;
    },
    forwardNewConnections() {
      freezeNew = false;
    },
    async close() {
      for (const link of open) {
        link.client.destroy();
        link.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
