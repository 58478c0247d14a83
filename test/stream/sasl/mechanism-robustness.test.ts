// RFC 4422 section 3 and DESIGN.md section 8 ("every bad input has a defined answer"): whatever a
// client sends, in whatever order, every mechanism answers with a SaslStep and never throws. Random
// bytes test the outer parsers; messages built from SCRAM's own alphabet reach the inner checks.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createMechanism, offeredMechanisms, type SaslContext, type SaslStep } from '../../../src/stream/sasl/index.js';
import { MemoryCredentials } from './memory-credentials.js';
import { ScramClient } from './scram-client.js';

const ctx: SaslContext = { secure: true, domain: 'example.com', channelBinding: { type: 'tls-exporter', data: Buffer.alloc(32, 1) } };
const NAMES = offeredMechanisms(ctx, { allowPlainInsecure: true });
const CONDITIONS = new Set([
  'aborted', 'account-disabled', 'credentials-expired', 'encryption-required', 'incorrect-encoding', 'invalid-authzid',
  'invalid-mechanism', 'malformed-request', 'mechanism-too-weak', 'not-authorized', 'temporary-auth-failure',
]);

let shared: MemoryCredentials | undefined;
async function creds(): Promise<MemoryCredentials> {
  shared ??= (await new MemoryCredentials().addUser('juliet', 'secret')).addToken('tok', 'juliet');
  return shared;
}

function assertStep(step: SaslStep): void {
  assert.ok(step && typeof step === 'object');
  if (step.kind === 'challenge') assert.ok(Buffer.isBuffer(step.data));
  else if (step.kind === 'success') assert.equal(typeof step.username, 'string');
  else if (step.kind === 'failure') assert.ok(CONDITIONS.has(step.condition), step.condition);
  else assert.fail(`unknown step ${JSON.stringify(step)}`);
}

async function play(name: string, initial: Buffer | undefined, responses: Buffer[]): Promise<void> {
  const mechanism = createMechanism(name, ctx, await creds())!;
  assertStep(await mechanism.start(initial));
  for (const response of responses) assertStep(await mechanism.step(response));
}

const bytes = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));
const scramText = fc
  .string({ unit: fc.constantFrom(...'nypFam=rcsiv,2C3D\x00\x01 juliet+/ABC0123456789-.'.split('')), maxLength: 80 })
  .map((s) => Buffer.from(s));

describe('mechanism robustness', () => {
  it('random bytes in any order never make a mechanism throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...NAMES), fc.option(bytes), fc.array(bytes, { maxLength: 4 }), async (name, initial, responses) => {
        await play(name, initial ?? undefined, responses);
      }),
      { numRuns: 400 },
    );
  });

  it('text from the SCRAM alphabet never makes a mechanism throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...NAMES), scramText, fc.array(scramText, { maxLength: 3 }), async (name, initial, responses) => {
        await play(name, initial, responses);
      }),
      { numRuns: 400 },
    );
  });

  it('a valid client-first followed by a mutated client-final never makes SCRAM throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('SCRAM-SHA-256', 'SCRAM-SHA-1'),
        fc.string({ maxLength: 40 }),
        fc.nat({ max: 200 }),
        fc.string({ maxLength: 10 }),
        async (name, garbage, at, insert) => {
          const hash = name === 'SCRAM-SHA-1' ? 'sha-1' : 'sha-256';
          const client = new ScramClient({ hash, username: 'juliet', password: 'secret' });
          const mechanism = createMechanism(name, { secure: true, domain: 'example.com' }, await creds())!;
          const first = await mechanism.start(client.first());
          assert.equal(first.kind, 'challenge');
          const final = client.final(first.kind === 'challenge' ? first.data : Buffer.alloc(0)).toString();
          const cut = at % (final.length + 1);
          const mutated = garbage.length > 0 ? final.slice(0, cut) + insert + garbage : final.slice(0, cut) + insert + final.slice(cut);
          const step = await mechanism.step(Buffer.from(mutated));
          assertStep(step);
          if (mutated !== final) assert.notEqual(step.kind, 'success');
        },
      ),
      { numRuns: 300 },
    );
  });
});
