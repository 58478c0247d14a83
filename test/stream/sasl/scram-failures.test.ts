// RFC 5802 sections 5-7 and RFC 6120 section 6.5: each way a SCRAM exchange can go wrong and the
// failure condition the server answers with (malformed-request for grammar, incorrect-encoding for
// bad base64, not-authorized for anything that fails authentication, invalid-authzid,
// temporary-auth-failure when the store is down). Also RFC 5802 section 6 downgrade protection and
// the absence of user enumeration.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMechanism, type SaslContext, type SaslMechanism, type SaslStep } from '../../../src/stream/sasl/index.js';
import { brokenCredentials, MemoryCredentials } from './memory-credentials.js';
import { ScramClient } from './scram-client.js';

const exporter = Buffer.alloc(32, 7);
const tls: SaslContext = { secure: true, domain: 'example.com' };
const withExporter: SaslContext = { ...tls, channelBinding: { type: 'tls-exporter', data: exporter } };

let shared: MemoryCredentials | undefined;
async function creds(): Promise<MemoryCredentials> {
  return (shared ??= await new MemoryCredentials().addUser('juliet', 'secret'));
}

async function server(name = 'SCRAM-SHA-256', ctx: SaslContext = tls): Promise<SaslMechanism> {
  return createMechanism(name, ctx, await creds())!;
}

function condition(step: SaslStep): string {
  return step.kind === 'failure' ? step.condition : `no failure but ${step.kind}`;
}

/** Sends `first`, expecting the server-first challenge, and returns the server with that challenge. */
async function afterFirst(client: ScramClient, name = 'SCRAM-SHA-256', ctx: SaslContext = tls) {
  const s = await server(name, ctx);
  const step = await s.start(client.first());
  assert.equal(step.kind, 'challenge');
  return { s, serverFirst: step.kind === 'challenge' ? step.data : Buffer.alloc(0) };
}

const juliet = (extra: Partial<ConstructorParameters<typeof ScramClient>[0]> = {}) =>
  new ScramClient({ hash: 'sha-256', username: 'juliet', password: 'secret', ...extra });

describe('SCRAM client-first-message', () => {
  const malformed: Array<[string, string]> = [
    ['an empty initial response', ''],
    ['a GS2 header with an unknown flag', 'x,,n=juliet,r=abc'],
    ['the non-standard F flag', 'F,n,,n=juliet,r=abc'],
    ['a GS2 header missing its second comma', 'n,n=juliet,r=abc'],
    ['an authzid without a=', 'n,juliet@example.com,n=juliet,r=abc'],
    ['an authzid with a bad saslname escape', 'n,a=ju=liet,n=juliet,r=abc'],
    ['the reserved m= extension', 'n,,m=ext,n=juliet,r=abc'],
    ['a missing username', 'n,,r=abc'],
    ['attributes in the wrong order', 'n,,r=abc,n=juliet'],
    ['a missing nonce', 'n,,n=juliet'],
    ['an empty nonce', 'n,,n=juliet,r='],
    ['a nonce with a non-printable character', 'n,,n=juliet,r=ab\u0001c'],
    ['an empty username', 'n,,n=,r=abc'],
    ['a username with = not followed by 2C or 3D', 'n,,n=jul=iet,r=abc'],
    ['a malformed extension', 'n,,n=juliet,r=abc,12'],
  ];
  for (const [what, message] of malformed) {
    it(`${what} is malformed-request`, async () => {
      assert.equal(condition(await (await server()).start(Buffer.from(message))), 'malformed-request');
    });
  }

  it('invalid UTF-8 is malformed-request', async () => {
    const bytes = Buffer.concat([Buffer.from('n,,n='), Buffer.from([0xc3, 0x28]), Buffer.from(',r=abc')]);
    assert.equal(condition(await (await server()).start(bytes)), 'malformed-request');
  });

  it('an oversized message is malformed-request', async () => {
    assert.equal(condition(await (await server()).start(Buffer.from('n,,n=juliet,r=' + 'a'.repeat(20000)))), 'malformed-request');
  });

  it('unknown optional extensions after the nonce are ignored', async () => {
    const s = await server();
    assert.equal((await s.start(Buffer.from('n,,n=juliet,r=abc,x=1'))).kind, 'challenge');
  });

  it('p= on a mechanism without -PLUS is malformed-request', async () => {
    const s = await server('SCRAM-SHA-256', withExporter);
    assert.equal(condition(await s.start(juliet({ gs2Header: 'p=tls-exporter,,' }).first())), 'malformed-request');
  });

  it('-PLUS with the n flag is malformed-request', async () => {
    const s = await server('SCRAM-SHA-256-PLUS', withExporter);
    assert.equal(condition(await s.start(juliet().first())), 'malformed-request');
  });

  it('-PLUS with a channel binding type the stream does not have is malformed-request', async () => {
    const s = await server('SCRAM-SHA-256-PLUS', withExporter);
    assert.equal(condition(await s.start(juliet({ gs2Header: 'p=tls-unique,,' }).first())), 'malformed-request');
  });

  it('y while the server offers -PLUS on TLS is a downgrade and not-authorized (RFC 5802 section 6)', async () => {
    for (const name of ['SCRAM-SHA-256', 'SCRAM-SHA-1']) {
      const s = await server(name, withExporter);
      assert.equal(condition(await s.start(juliet({ gs2Header: 'y,,' }).first())), 'not-authorized');
    }
  });

  it('a credential store that fails is temporary-auth-failure', async () => {
    const s = createMechanism('SCRAM-SHA-256', tls, brokenCredentials)!;
    assert.equal(condition(await s.start(juliet().first())), 'temporary-auth-failure');
  });
});

describe('SCRAM client-final-message', () => {
  async function finalFails(raw: (serverFirst: Buffer, client: ScramClient) => string): Promise<string> {
    const client = juliet();
    const { s, serverFirst } = await afterFirst(client);
    return condition(await s.step(Buffer.from(raw(serverFirst, client))));
  }
  const nonceOf = (sf: Buffer) => sf.toString().split(',')[0].slice(2);

  it('a missing proof is malformed-request', async () => {
    assert.equal(await finalFails((sf) => `c=biws,r=${nonceOf(sf)}`), 'malformed-request');
  });

  it('a missing channel binding is malformed-request', async () => {
    assert.equal(await finalFails((sf) => `r=${nonceOf(sf)},x=1,p=AAAA`), 'malformed-request');
  });

  it('the proof anywhere but last is malformed-request', async () => {
    assert.equal(await finalFails((sf) => `c=biws,p=AAAA,r=${nonceOf(sf)}`), 'malformed-request');
  });

  it('bad base64 in c= is incorrect-encoding', async () => {
    assert.equal(await finalFails((sf) => `c=bi*s,r=${nonceOf(sf)},p=AAAA`), 'incorrect-encoding');
  });

  it('bad base64 in p= is incorrect-encoding', async () => {
    assert.equal(await finalFails((sf) => `c=biws,r=${nonceOf(sf)},p=AAA`), 'incorrect-encoding');
  });

  it('base64 with non-zero padding bits is incorrect-encoding', async () => {
    assert.equal(await finalFails((sf) => `c=biwt,r=${nonceOf(sf)},p=AB==`), 'incorrect-encoding');
  });

  it('invalid UTF-8 is malformed-request', async () => {
    const client = juliet();
    const { s } = await afterFirst(client);
    assert.equal(condition(await s.step(Buffer.from([0x63, 0x3d, 0xff]))), 'malformed-request');
  });

  it('a nonce that does not start with the client nonce is not-authorized', async () => {
    const client = juliet();
    const { s, serverFirst } = await afterFirst(client);
    // Another first character (a random nonce starts with 'X' one time in 64).
    const final = client.final(serverFirst, { nonce: (n) => (n.startsWith('X') ? 'Y' : 'X') + n.slice(1) });
    assert.equal(condition(await s.step(final)), 'not-authorized');
  });

  it('a nonce with the server part changed is not-authorized', async () => {
    const client = juliet();
    const { s, serverFirst } = await afterFirst(client);
    const final = client.final(serverFirst, { nonce: (n) => n + 'x' });
    assert.equal(condition(await s.step(final)), 'not-authorized');
  });

  it('a c= that does not repeat the GS2 header is not-authorized', async () => {
    const client = juliet();
    const { s, serverFirst } = await afterFirst(client);
    const final = client.final(serverFirst, { cb: () => Buffer.from('y,,').toString('base64') });
    assert.equal(condition(await s.step(final)), 'not-authorized');
  });

  it('-PLUS with other tls-exporter data (a man in the middle) is not-authorized', async () => {
    const client = juliet({ gs2Header: 'p=tls-exporter,,', cbData: Buffer.alloc(32, 8) });
    const { s, serverFirst } = await afterFirst(client, 'SCRAM-SHA-256-PLUS', withExporter);
    assert.equal(condition(await s.step(client.final(serverFirst))), 'not-authorized');
  });

  it('a wrong password is not-authorized', async () => {
    const client = juliet({ password: 'wrong' });
    const { s, serverFirst } = await afterFirst(client);
    assert.equal(condition(await s.step(client.final(serverFirst))), 'not-authorized');
  });

  it('a proof of the wrong length is not-authorized', async () => {
    assert.equal(await finalFails((sf) => `c=biws,r=${nonceOf(sf)},p=AAAA`), 'not-authorized');
  });

  it('an authzid naming another account is invalid-authzid', async () => {
    const client = juliet({ gs2Header: 'n,a=romeo@example.com,' });
    const { s, serverFirst } = await afterFirst(client);
    assert.equal(condition(await s.step(client.final(serverFirst))), 'invalid-authzid');
  });

  it("an authzid naming the account's own bare JID succeeds and is reported normalised", async () => {
    const client = juliet({ gs2Header: 'n,a=Juliet@EXAMPLE.com,' });
    const { s, serverFirst } = await afterFirst(client);
    const step = await s.step(client.final(serverFirst));
    assert.equal(step.kind === 'success' && step.authzid, 'juliet@example.com');
  });

  it('an authzid with a resource is invalid-authzid', async () => {
    const client = juliet({ gs2Header: 'n,a=juliet@example.com/balcony,' });
    const { s, serverFirst } = await afterFirst(client);
    assert.equal(condition(await s.step(client.final(serverFirst))), 'invalid-authzid');
  });

  it('a response after the exchange ended is malformed-request', async () => {
    const client = juliet();
    const { s, serverFirst } = await afterFirst(client);
    assert.equal((await s.step(client.final(serverFirst))).kind, 'success');
    assert.equal(condition(await s.step(Buffer.from('again'))), 'malformed-request');
  });

  it('start() twice is malformed-request', async () => {
    const s = await server();
    await s.start(undefined);
    assert.equal(condition(await s.start(juliet().first())), 'malformed-request');
  });
});

describe('SCRAM unknown users', () => {
  async function serverFirstFor(username: string): Promise<string> {
    const s = await server();
    const step = await s.start(new ScramClient({ hash: 'sha-256', username, password: 'x', clientNonce: 'fixed' }).first());
    assert.equal(step.kind, 'challenge');
    return step.kind === 'challenge' ? step.data.toString() : '';
  }

  it('an unknown user gets a server-first of the same shape as a real one', async () => {
    const real = await serverFirstFor('juliet');
    const fake = await serverFirstFor('nobody');
    const shape = (s: string) => s.replace(/r=fixed[^,]+/, 'r=N').replace(/s=[^,]+/, (m) => `s(${Buffer.from(m.slice(2), 'base64').length})`);
    assert.equal(shape(fake), shape(real));
    assert.match(fake, /^r=fixed[^,]+,s=[^,]+,i=4096$/);
  });

  it('an unknown user gets the same salt each time, as a real account would', async () => {
    const salt = (sf: string) => sf.split(',')[1];
    assert.equal(salt(await serverFirstFor('nobody')), salt(await serverFirstFor('nobody')));
    assert.notEqual(salt(await serverFirstFor('nobody')), salt(await serverFirstFor('somebody')));
  });

  it('an unknown user fails with not-authorized at the proof, like a wrong password', async () => {
    const client = new ScramClient({ hash: 'sha-256', username: 'nobody', password: 'secret' });
    const { s, serverFirst } = await afterFirst(client);
    assert.equal(condition(await s.step(client.final(serverFirst))), 'not-authorized');
  });

  it('a username that cannot be a localpart is treated as unknown rather than refused early', async () => {
    const client = new ScramClient({ hash: 'sha-256', username: 'no body', password: 'secret' });
    const { s, serverFirst } = await afterFirst(client);
    assert.equal(condition(await s.step(client.final(serverFirst))), 'not-authorized');
  });
});
