// DESIGN.md section 7: a connection's output leaves in batches. A client that talks gets its answers at
// the end of the tick; a connection that only receives, in a burst, gets one write per millisecond.

import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { OutputBatching, type Corkable } from '../../src/transports/output-batching.js';

class RecordingSocket implements Corkable {
  readonly events: string[] = [];
  cork(): void {
    this.events.push('cork');
  }
  uncork(): void {
    this.events.push('uncork');
  }
}

const endOfTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

describe('output batching', () => {
  let clock = 0;
  beforeEach(() => {
    clock = 1000;
    mock.timers.enable({ apis: ['setTimeout'] });
  });
  afterEach(() => mock.timers.reset());

  it('every write of one tick leaves together at the end of the tick', async () => {
    const socket = new RecordingSocket();
    const output = new OutputBatching(() => clock);
    output.beforeWrite(socket);
    output.beforeWrite(socket);
    output.beforeWrite(socket);
    assert.deepEqual(socket.events, ['cork']);
    await endOfTick();
    assert.deepEqual(socket.events, ['cork', 'uncork']);
  });

  it('a connection that only receives, flushed a moment ago, gathers the burst for a millisecond', async () => {
    const socket = new RecordingSocket();
    const output = new OutputBatching(() => clock);
    output.beforeWrite(socket);
    await endOfTick();
    clock += 0.5;
    output.beforeWrite(socket);
    await endOfTick();
    assert.deepEqual(socket.events, ['cork', 'uncork', 'cork'], 'held after the tick');
    mock.timers.tick(1);
    assert.deepEqual(socket.events, ['cork', 'uncork', 'cork', 'uncork']);
  });

  it('an answer to a client that spoke since the last flush is not held', async () => {
    const socket = new RecordingSocket();
    const output = new OutputBatching(() => clock);
    output.beforeWrite(socket);
    await endOfTick();
    clock += 0.5;
    output.heard();
    output.beforeWrite(socket);
    await endOfTick();
    assert.deepEqual(socket.events, ['cork', 'uncork', 'cork', 'uncork']);
  });

  it('a quiet connection is flushed at the end of the tick', async () => {
    const socket = new RecordingSocket();
    const output = new OutputBatching(() => clock);
    output.beforeWrite(socket);
    await endOfTick();
    clock += 50;
    output.beforeWrite(socket);
    await endOfTick();
    assert.deepEqual(socket.events, ['cork', 'uncork', 'cork', 'uncork']);
  });

  it('the socket that was corked is the one uncorked, even when the connection changed sockets meanwhile (STARTTLS)', async () => {
    const plain = new RecordingSocket();
    const secure = new RecordingSocket();
    const output = new OutputBatching(() => clock);
    output.beforeWrite(plain); // <proceed/>, then the TLS socket takes over before the tick ends
    output.beforeWrite(secure);
    await endOfTick();
    assert.deepEqual(plain.events, ['cork', 'uncork']);
    assert.deepEqual(secure.events, [], 'the new socket was never left corked');
  });
});
