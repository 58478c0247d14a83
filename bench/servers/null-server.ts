// The "null" server: the least an XMPP server can do for the TCP scenarios, to find the load
// generator's own ceiling. It accepts any SASL PLAIN login (RFC 6120 section 6, no password check),
// binds the requested resource (section 7), answers XEP-0199 pings, routes messages to full JIDs, and
// acts as a XEP-0060 service that keeps subscribers in memory and fans each publish out as one
// pre-built notification with only `to` spliced in. No storage, no checks, no limits: if the
// generator can drive this at rate R, figures well below R measure the server under test, not it.
//
//   node dist/bench/servers/null-server.js [port]     prints "ready c2s=<port>"

import { createServer, type Socket } from 'node:net';
import { StanzaSplitter } from '../load/stanza-splitter.js';

const DOMAIN = 'localhost';
const PUBSUB = `pubsub.${DOMAIN}`;
const sessions = new Map<string, Socket>();
const subscribers = new Map<string, string[]>();

const header = (id: number): string =>
  `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='${DOMAIN}' id='s${id}' version='1.0'>`;
const MECHANISMS = "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";
const BIND = "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>";

function attr(xml: string, name: string): string {
  return new RegExp(`\\s${name}=["']([^"']*)["']`).exec(xml)?.[1] ?? '';
}

/** Writes are corked and flushed once per tick, as almanac's transports do (DESIGN.md section 7). */
function send(socket: Socket, text: string): void {
  if (!socket.writableCorked) {
    socket.cork();
    process.nextTick(() => socket.uncork());
  }
  socket.write(text);
}

let nextId = 1;
createServer((socket) => {
  socket.setNoDelay(true);
  const id = nextId++;
  let user = '';
  let jid = '';
  const splitter = new StanzaSplitter({
    streamOpen: () => send(socket, header(id) + (user ? BIND : MECHANISMS)),
    streamClose: () => socket.end('</stream:stream>'),
    stanza: (xml) => {
      if (xml.startsWith('<auth')) {
        const plain = Buffer.from(/>([^<]*)</.exec(xml)?.[1] ?? '', 'base64').toString('utf8').split('\0');
        user = plain[1] ?? '';
        send(socket, "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
      } else if (xml.startsWith('<iq')) {
        iq(xml);
      } else if (xml.startsWith('<message')) {
        const target = sessions.get(attr(xml, 'to'));
        if (target) send(target, xml.replace('<message', `<message from='${jid}'`));
      }
    },
  });
  const iq = (xml: string): void => {
    const iqId = attr(xml, 'id');
    const result = (body = ''): void => send(socket, `<iq type='result' id='${iqId}' from='${attr(xml, 'to') || DOMAIN}'${body ? `>${body}</iq>` : '/>'}`);
    if (xml.includes('urn:ietf:params:xml:ns:xmpp-bind')) {
      jid = `${user}@${DOMAIN}/${/<resource>([^<]*)</.exec(xml)?.[1] ?? 'r'}`;
      sessions.set(jid, socket);
      result(`<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>${jid}</jid></bind>`);
    } else if (xml.includes('<subscribe ')) {
      const node = attr(xml.slice(xml.indexOf('<subscribe ')), 'node');
      const list = subscribers.get(node) ?? [];
      list.push(attr(xml.slice(xml.indexOf('<subscribe ')), 'jid'));
      subscribers.set(node, list);
      result();
    } else if (xml.includes('<publish ')) {
      const node = attr(xml.slice(xml.indexOf('<publish ')), 'node');
      const item = xml.slice(xml.indexOf('<item'), xml.lastIndexOf('</publish>'));
      result();
      const tail = ` from='${PUBSUB}'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='${node}'>${item}</items></event></message>`;
      for (const to of subscribers.get(node) ?? []) {
        const target = sessions.get(to);
        if (target) send(target, `<message to='${to}'${tail}`);
      }
    } else {
      result(); // create, delete, ping, session, anything else
    }
  };
  socket.on('data', (buf: Buffer) => splitter.push(buf.toString('latin1')));
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    if (sessions.get(jid) === socket) sessions.delete(jid);
  });
}).listen(Number(process.argv[2] ?? 0), '127.0.0.1', function (this: ReturnType<typeof createServer>) {
  const address = this.address();
  process.stdout.write(`ready c2s=${typeof address === 'object' && address ? address.port : 0}\n`);
});
