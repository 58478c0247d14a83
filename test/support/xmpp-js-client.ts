// @xmpp/client (xmpp.js) as a test client, with SCRAM-SHA-256 added in front of its mechanisms:
// xmpp.js ships SCRAM-SHA-1 and PLAIN only, and the interop test must show SCRAM-SHA-256.

import { client } from '@xmpp/client';
import { WebSocket } from 'ws';
import { ScramClient } from '../stream/sasl/scram-client.js';

class ScramSha256 {
  readonly name = 'SCRAM-SHA-256';
  readonly clientFirst = true;
  private scram: ScramClient | undefined;
  private serverFirst: Buffer | undefined;

  response(creds: { username: string; password: string }): string {
    if (!this.scram) {
      this.scram = new ScramClient({ hash: 'sha-256', username: creds.username, password: creds.password });
      return this.scram.first().toString('utf8');
    }
    return this.scram.final(this.serverFirst!).toString('utf8');
  }

  challenge(data: string): this {
    this.serverFirst = Buffer.from(data, 'utf8');
    return this;
  }
}

export interface XmppJsOptions {
  port: number;
  username: string;
  password?: string;
  resource?: string;
  service?: string;
}

// xmpp.js uses the WHATWG WebSocket global, which Node 20 only has behind a flag; `ws` implements it.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

/** The next stanza an @xmpp/client receives that matches. */
export function nextStanza(xmpp: any, match: (stanza: any) => boolean, ms = 5000): Promise<any> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timed out waiting for a stanza')), ms);
    const onStanza = (stanza: any) => {
      if (!match(stanza)) return;
      clearTimeout(t);
      xmpp.off('stanza', onStanza);
      resolve(stanza);
    };
    xmpp.on('stanza', onStanza);
  });
}

/** A started @xmpp/client connected to the test server, preferring SCRAM-SHA-256. */
export async function startXmppJs(o: XmppJsOptions): Promise<any> {
  const xmpp = client({
    service: o.service ?? `xmpp://127.0.0.1:${o.port}`,
    domain: 'localhost',
    username: o.username,
    password: o.password ?? 'secret',
    resource: o.resource,
  });
  // saslmechanisms picks the first registered mechanism the server offers: put ours first.
  xmpp.saslFactory._mechs.unshift({ name: 'SCRAM-SHA-256', mech: ScramSha256 });
  xmpp.on('error', () => undefined);
  await xmpp.start();
  return xmpp;
}
