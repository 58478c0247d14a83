// RFC 6120 section 11 (restricted XML) and 4.9.3: hostile or broken input gets its stream error,
// the stream is closed, and another client on the same server keeps being served.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

describe('restricted XML and bad input (RFC 6120 section 11, 4.9.3)', () => {
  let server: TestServer;
  let bystander: TestClient;
  let bystanderFriend: TestClient;
  before(async () => {
    server = await startTestServer((c) => {
      c.limits.maxStanzaBytes = 10_000;
      c.limits.maxXmlDepth = 20;
    });
    for (const u of ['mallory', 'alice', 'bob']) await server.addUser(u);
    bystander = await TestClient.connect(server.ports.c2s!);
    await bystander.login('alice', 'secret', 'bystander');
    bystanderFriend = await TestClient.connect(server.ports.c2s!);
    await bystanderFriend.login('bob', 'secret', 'friend');
  });
  after(async () => {
    bystander.destroy();
    bystanderFriend.destroy();
    await server.stop();
  });

  const cases: Array<[string, string, string]> = [
    ['a DTD is restricted-xml', `<!DOCTYPE foo [<!ENTITY x "y">]><message/>`, 'restricted-xml'],
    ['a billion-laughs entity declaration is restricted-xml', `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>`, 'restricted-xml'],
    ['a comment is restricted-xml', `<!-- hello --><message/>`, 'restricted-xml'],
    ['a processing instruction is restricted-xml', `<?php echo 1 ?><message/>`, 'restricted-xml'],
    ['an undefined entity reference is refused', `<message><body>&foo;</body></message>`, 'restricted-xml|not-well-formed'],
    ['a mismatched end tag is not-well-formed', `<message><body>x</bodyx></message>`, 'not-well-formed'],
    ['a duplicate attribute is not-well-formed', `<message to='a@localhost' to='b@localhost'/>`, 'not-well-formed'],
    ['invalid UTF-8 is not-well-formed', '<message><body>\u00ff</body></message>', 'not-well-formed'],
    ['a stanza over the size limit is policy-violation', `<message><body>${'x'.repeat(20_000)}</body></message>`, 'policy-violation'],
    ['nesting over the depth limit is policy-violation', `<message>${'<a>'.repeat(40)}`, 'policy-violation'],
    ['an unknown top-level element is unsupported-stanza-type', `<foo xmlns='jabber:client'/>`, 'unsupported-stanza-type'],
  ];

  for (const [rule, input, expected] of cases) {
    it(rule, async () => {
      const mallory = await TestClient.connect(server.ports.c2s!);
      await mallory.login('mallory', 'secret', `m${Math.random().toString(36).slice(2, 8)}`);
      if (rule.startsWith('invalid UTF-8')) {
        // a lone 0xFF byte is never valid UTF-8
        (mallory as unknown as { socket: { write(b: Buffer): void } }).socket.write(Buffer.from([0x3c, 0x6d, 0x3e, 0xff, 0x3c, 0x2f, 0x6d, 0x3e]));
      } else {
        mallory.send(input);
      }
      const err = await mallory.receiveNamed('stream:error');
      const condition = err.getChildElements()[0]?.name ?? '';
      assert.match(condition, new RegExp(`^(${expected})$`));
      await mallory.closed;
      // everyone else keeps being served
      bystander.send(`<message to='bob@localhost/friend' id='still'><body>still here</body></message>`);
      const got = await bystanderFriend.receive((el) => el.name === 'message' && el.attrs.id === 'still');
      assert.equal(got.getChildText('body'), 'still here');
    });
  }

  it('a wrong password gets not-authorized and the stream stays open for another try (6.5.10)', async () => {
    const mallory = await TestClient.connect(server.ports.c2s!);
    await mallory.openStream();
    await mallory.receiveNamed('stream:features');
    mallory.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0alice\0wrong').toString('base64')}</auth>`);
    const failure = await mallory.receiveNamed('failure');
    assert.ok(failure.getChild('not-authorized'));
    mallory.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0mallory\0secret').toString('base64')}</auth>`);
    assert.ok(await mallory.receiveNamed('success'));
    mallory.destroy();
  });
});
