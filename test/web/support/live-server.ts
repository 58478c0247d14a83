// A real almanac server in this process (test/support/test-server.ts): REST API, web app, BOSH and
// WebSocket on its HTTP port, and the feed publisher, as `almanac serve` runs them.

import { startTestServer, type TestServer } from '../../support/test-server.js';
import { AlmanacClient, type AlmanacClientOptions } from '../../../web/sdk/index.js';
import { stanzaLink } from '../../../web/sdk/stanza-link.js';

export interface LiveServer {
  server: TestServer;
  /** http://127.0.0.1:<port> of the shared HTTP server. */
  base: string;
  /** A client of this server that has signed in as `username` (created with password "secret"). */
  client(username: string, options?: Partial<AlmanacClientOptions>): Promise<AlmanacClient>;
  stop(): Promise<void>;
}

export async function startLiveServer(): Promise<LiveServer> {
  const server = await startTestServer();
  const base = `http://127.0.0.1:${server.ports.http}`;
  const clients: AlmanacClient[] = [];
  return {
    server,
    base,
    async client(username, options = {}) {
      if (!(await server.host.stores.accounts.exists(username))) await server.addUser(username, 'secret');
      const client = new AlmanacClient({ baseUrl: base, link: stanzaLink, reconnect: { minMs: 100, maxMs: 1000 }, ...options });
      await client.signIn(username, 'secret');
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.disconnect()));
      await server.stop();
    },
  };
}
