// DESIGN.md sections 7 and 8 on the WebSocket transport: one message per element (RFC 7395 3.3.1)
// with the writes of one tick batched into one TCP write, and a bounded queue per reader, so that
// a client that stops reading is cut off instead of holding memory. Shown with stand-ins for the
// socket and the WebSocket so the queue can be filled deterministically.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type net from 'node:net';
import type { WebSocket } from 'ws';
import type { StreamContext } from '../../../src/stream/stream-context.js';
import { WebSocketStreamConnection } from '../../../src/transports/websocket/connection.js';

class FakeSocket extends EventEmitter {
  remoteAddress = '192.0.2.7';
  corks = 0;
  uncorks = 0;
  cork(): void {
    this.corks++;
  }
  uncork(): void {
    this.uncorks++;
  }
}

class FakeWebSocket extends EventEmitter {
  readyState = 1; // OPEN
  bufferedAmount = 0;
  sent: string[] = [];
  terminated = false;
  send(data: string): void {
    this.sent.push(data);
    this.bufferedAmount += Buffer.byteLength(data);
  }
  close(): void {
    this.readyState = 2;
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }
  ping(): void {}
}

// Only what the engine's constructor reads; these tests never negotiate.
const context = { domain: 'localhost', policy: { authTimeoutMs: 60_000, requireTls: false, maxSaslAttempts: 5 } } as unknown as StreamContext;

function connection(outboundQueueBytes: number) {
  const ws = new FakeWebSocket();
  const socket = new FakeSocket();
  const conn = new WebSocketStreamConnection(ws as unknown as WebSocket, socket as unknown as net.Socket, context, {
    secure: false,
    limits: { maxStanzaBytes: 65536, maxDepth: 32, outboundQueueBytes },
    closeTimeoutMs: 1000,
  });
  return { ws, socket, conn };
}

describe('WebSocket output batching and bounds', () => {
  it('each written element is its own WebSocket message (3.3.1)', () => {
    const { ws, conn } = connection(1 << 20);
    conn.write(`<message xmlns='jabber:client'><body>1</body></message>`);
    conn.write(`<message xmlns='jabber:client'><body>2</body></message>`);
    assert.deepEqual(ws.sent, [`<message xmlns='jabber:client'><body>1</body></message>`, `<message xmlns='jabber:client'><body>2</body></message>`]);
  });

  it('the writes of one tick are corked into one TCP write and released on the next tick', async () => {
    const { socket, conn } = connection(1 << 20);
    conn.write('<presence/>');
    conn.write('<presence/>');
    conn.write('<presence/>');
    assert.equal(socket.corks, 1);
    assert.equal(socket.uncorks, 0);
    await new Promise((r) => process.nextTick(r));
    assert.equal(socket.uncorks, 1);
  });

  it('a reader whose unsent bytes exceed the outbound queue limit is cut off', () => {
    const { ws, conn } = connection(10_000);
    for (let i = 0; i < 5; i++) conn.write(`<message xmlns='jabber:client'><body>${'x'.repeat(1000)}</body></message>`);
    assert.equal(ws.terminated, false);
    for (let i = 0; i < 10; i++) conn.write(`<message xmlns='jabber:client'><body>${'x'.repeat(1000)}</body></message>`);
    assert.equal(ws.terminated, true);
  });

  it('nothing is written once the WebSocket is no longer open', () => {
    const { ws, conn } = connection(1 << 20);
    ws.readyState = 2;
    conn.write('<presence/>');
    assert.deepEqual(ws.sent, []);
  });
});
