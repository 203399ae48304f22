import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server, for tests of what a client does when the network
 * misbehaves. Bytes are forwarded unchanged (HTTP, WebSocket), so the client and the server are
 * the real ones; only the wire between them is ours to cut.
 */
export interface FlakyProxy {
  /** http://127.0.0.1:<port> that reaches the target through the proxy. */
  url: string;
  /** Drops every open connection and refuses new ones until up(). */
  down(): void;
  /** Accepts connections again. */
  up(): void;
  /**
   * Keeps forwarding client→server bytes but swallows server→client bytes on open connections:
   * requests arrive, answers (acks, pushes) are lost. Ends with down() or up().
   */
  swallowReplies(): void;
  /** New connections go to `url` from now on (a balancer taking a dead node out of rotation). */
  retarget(url: string): void;
  close(): Promise<void>;
}

export async function startProxy(targetUrl: string): Promise<FlakyProxy> {
  let target = new URL(targetUrl);
  const pairs = new Set<[Socket, Socket]>();
  let accepting = true;
  let swallowing = false;

  const server: Server = createServer((client) => {
    if (!accepting) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      if (!swallowing) client.write(d);
    });
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const dropAll = () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    down() {
      accepting = false;
      swallowing = false;
      dropAll();
    },
    up() {
      swallowing = false;
      accepting = true;
    },
    swallowReplies() {
      swallowing = true;
    },
    retarget(url) {
      target = new URL(url);
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
