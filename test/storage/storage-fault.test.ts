// The one classification of storage faults (src/storage/storage-fault.ts) and what XMPP answers for
// each (RFC 6120 8.3.2 and 8.3.3): REST maps the same kinds to 503 storage_busy/full/unavailable.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storageFault } from '../../src/storage/storage-fault.js';
import { fail, stanzaErrorFor } from '../../src/core/stanza-error.js';

function coded(code: string, message = 'driver error'): Error {
  return Object.assign(new Error(message), { code });
}

describe('storage faults', () => {
  it('a refused or cut connection, a server shutting down or starting, is unavailable', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '08006', '08001']) {
      assert.equal(storageFault(coded(code)), 'unavailable', code);
    }
  });

  it('node-postgres connection losses without a code are unavailable', () => {
    assert.equal(storageFault(new Error('Connection terminated unexpectedly')), 'unavailable');
    assert.equal(storageFault(new Error('Client has encountered a connection error and is not queryable')), 'unavailable');
    assert.equal(storageFault(new Error('timeout exceeded when trying to connect')), 'unavailable');
  });

  it('a wrapped driver error is classified by its cause', () => {
    assert.equal(storageFault(new Error('postgres_url: cannot open the database', { cause: coded('ECONNREFUSED') })), 'unavailable');
  });

  it('locks and contention are busy, a full disk is full', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_LOCKED', '55P03', '40P01', '40001', '53300']) assert.equal(storageFault(coded(code)), 'busy', code);
    for (const code of ['SQLITE_FULL', '53100']) assert.equal(storageFault(coded(code)), 'full', code);
  });

  it('anything else is no storage fault', () => {
    assert.equal(storageFault(new TypeError('x is undefined')), undefined);
    assert.equal(storageFault(coded('23505', 'duplicate key')), undefined);
    assert.equal(storageFault('a string'), undefined);
  });
});

describe('the stanza error for what a handler threw', () => {
  it('an unreachable database is internal-server-error of type wait, saying the storage is unavailable', () => {
    const spec = stanzaErrorFor(coded('ECONNREFUSED'));
    assert.equal(spec.condition, 'internal-server-error');
    assert.equal(spec.type, 'wait');
    assert.match(spec.text!, /storage is unavailable/);
  });

  it('a busy or full database is resource-constraint (its type is wait by default)', () => {
    assert.equal(stanzaErrorFor(coded('SQLITE_BUSY')).condition, 'resource-constraint');
    assert.equal(stanzaErrorFor(coded('53100')).condition, 'resource-constraint');
  });

  it('a bug stays internal-server-error with the default type (cancel), a StanzaError keeps its own', () => {
    assert.deepEqual(stanzaErrorFor(new Error('bug')), { condition: 'internal-server-error' });
    assert.throws(() => fail('item-not-found'), (err) => stanzaErrorFor(err).condition === 'item-not-found');
  });
});
