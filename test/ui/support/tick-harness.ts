/**
 * @module Stand-in for the monitor's HTTP side in UI tests: serves a built
 * dashboard folder with `Bun.serve` on 127.0.0.1, answers `GET /health`, and
 * lets a test push messages to, and close, the dashboard's WebSocket.
 */
import { join } from 'node:path';
import type { ServerWebSocket } from 'bun';
import type { HealthResponse, TickMessage } from '../../../server/protocol.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** A running harness. */
export interface TickHarness {
  /** Page URL, such as `http://127.0.0.1:40123/`. */
  readonly url: string;
  /** Number of WebSocket connections opened since start. */
  connectionCount(): number;
  /** Sends a tick or raw text to every open dashboard socket. */
  send(message: TickMessage | string): void;
  /** Closes every open dashboard socket, as a server restart would. */
  closeSockets(): void;
  /** Waits until `count` connections were opened; rejects after `timeoutMs`. */
  waitForConnections(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const HEALTH: HealthResponse = {
  status: 'ok',
  version: '0.1.0-harness',
  uptimeS: 1,
  tickRateHz: 23.6,
  ticks: 0,
  clients: 1,
  profile: 'stock-2jz-gte',
  sources: { active: 'sim', sources: [] },
};

/** Starts a harness serving the files in `buildDir` on a free loopback port. */
export function startTickHarness(buildDir: string): TickHarness {
  const sockets = new Set<ServerWebSocket<unknown>>();
  let opened = 0;
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(request, server) {
      const path = new URL(request.url).pathname;
      if (path === '/ws') {
        return server.upgrade(request) ? undefined : new Response('upgrade failed', { status: 400 });
      }
      if (path === '/health') return Response.json(HEALTH);
      const name = path === '/' ? 'index.html' : path.slice(1);
      const type = CONTENT_TYPES[name];
      if (!type) return new Response('not found', { status: 404 });
      return new Response(Bun.file(join(buildDir, name)), { headers: { 'content-type': type } });
    },
    websocket: {
      open(socket) {
        opened += 1;
        sockets.add(socket);
      },
      close(socket) {
        sockets.delete(socket);
      },
      message() {},
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}/`,
    connectionCount: () => opened,
    send(message) {
      const text = typeof message === 'string' ? message : JSON.stringify(message);
      for (const socket of sockets) socket.send(text);
    },
    closeSockets() {
      for (const socket of sockets) socket.close(1012, 'harness restart');
    },
    async waitForConnections(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (opened < count || sockets.size === 0) {
        if (Date.now() > deadline) {
          const counts = `${count} WebSocket connections within ${timeoutMs} ms, got ${opened}`;
          throw new Error(`expected ${counts}`);
        }
        await Bun.sleep(20);
      }
    },
    async stop() {
      await server.stop(true);
    },
  };
}
