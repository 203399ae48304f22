import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  status: number;
}

/**
 * A real local HTTP server that records every POST (raw body and headers) and answers with
 * `respond(key, attempt)` (attempt counts POSTs with that idempotency key, from 1).
 */
export async function startReceiver(respond: (key: string, attempt: number) => number = () => 200): Promise<{ url: string; posts: ReceivedPost[]; byKey: (key: string) => ReceivedPost[]; close: () => Promise<void> }> {
  const posts: ReceivedPost[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      const attempt = posts.filter((p) => p.headers['idempotency-key'] === key).length + 1;
      const status = respond(key, attempt);
      posts.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    posts,
    byKey: (key) => posts.filter((p) => p.headers['idempotency-key'] === key),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The JSON payloads received, parsed. */
export const payloads = (posts: ReceivedPost[]): Array<{ id: string; user: { id: string }; notification: { kind: string; data: Record<string, unknown> } }> => posts.map((p) => JSON.parse(p.raw));
