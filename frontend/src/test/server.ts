// A real HTTP server on loopback for the API client tests: records each request, answers from a handler.
import { AddressInfo } from 'node:net';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: Seen, res: ServerResponse) => void;

export async function startServer(handler: Handler) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method || '', url: req.url || '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    seen,
    base: `http://127.0.0.1:${port}/api`,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

export function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}
