// XEP-0114: an external component (the real @xmpp/component library) connects with the shared
// secret, receives what is addressed to its domain and sends from it; a wrong secret and a spoofed
// from are refused.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { component, xml } from '@xmpp/component';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

describe('external components (XEP-0114)', () => {
  let server: TestServer;
  let bot: any;
  let alice: TestClient;
  before(async () => {
    server = await startTestServer((c) => (c.component.secret = 's3cret'));
    await server.addUser('alice');
    alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('alice', 'secret', 'a');
  });
  after(async () => {
    alice.destroy();
    await bot?.stop().catch(() => undefined);
    await server.stop();
  });

  it('a component with the right secret connects and is served its domain (section 3)', async () => {
    bot = component({ service: `xmpp://127.0.0.1:${server.ports.component}`, domain: 'bot.localhost', password: 's3cret' });
    bot.on('error', () => undefined);
    bot.on('stanza', async (stanza: any) => {
      if (stanza.is('message') && stanza.getChildText('body')) {
        await bot.send(xml('message', { to: stanza.attrs.from, from: 'echo@bot.localhost' }, xml('body', {}, `echo: ${stanza.getChildText('body')}`)));
      }
    });
    await bot.start();
    assert.ok(server.host.router.serviceDomains().includes('bot.localhost'));
  });

  it('alice sends to the component\'s domain and receives its answer from it', async () => {
    alice.send(`<message to='echo@bot.localhost'><body>hi</body></message>`);
    const reply = await alice.receiveNamed('message');
    assert.equal(reply.attrs.from, 'echo@bot.localhost');
    assert.equal(reply.getChildText('body'), 'echo: hi');
  });

  it('a wrong secret gets not-authorized', async () => {
    const socket = net.connect(server.ports.component!, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      data += d;
      if (data.includes("id='") && !data.includes('handshake')) {
        socket.write('<handshake>0000000000000000000000000000000000000000</handshake>');
        data += 'handshake-sent';
      }
    });
    socket.write(`<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='other.localhost'>`);
    await new Promise((r) => socket.on('close', r));
    assert.match(data, /<not-authorized/);
  });

  it('a second component for a domain already served gets conflict', async () => {
    const socket = net.connect(server.ports.component!, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (data += d));
    socket.write(`<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='bot.localhost'>`);
    await new Promise((r) => socket.on('close', r));
    assert.match(data, /<conflict/);
  });
});
