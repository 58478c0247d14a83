// The XMPP link for Node, on StanzaJS (Strophe.js needs a DOM, which Node lacks): WebSocket (RFC 7395)
// through `ws`, or BOSH (XEP-0124/0206) through fetch, SASL OAUTHBEARER (RFC 7628) with the REST token,
// initial presence (RFC 6121 4.2), XEP-0060 subscriptions and event items. The <change/> payload is
// declared to StanzaJS's JXT registry so that items reach us as typed fields.
// Browsers load strophe-link.ts instead; nothing else in the SDK imports this file.

import { createClient, JXT, type Agent } from 'stanza';
import { CHANGE_NS, JSON_NS, type RawFeedItem } from './feed-item.js';
import { XmppRequestError, type LinkConnectOptions, type LinkHandlers, type SubscriptionState, type XmppLink, type XmppLinkFactory } from './xmpp-link.js';

/** The attributes of <change/> by their JXT field names. */
const CHANGE_FIELDS: Record<string, string> = {
  resource: 'resource',
  id: 'id',
  action: 'action',
  'sync-token': 'syncToken',
  'prev-sync-token': 'prevSyncToken',
  modified: 'modified',
  actor: 'actor',
};

/** Every mechanism StanzaJS registers except the token one, which must be the only choice. */
const PASSWORD_MECHANISMS = ['EXTERNAL', 'SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256', 'SCRAM-SHA-1-PLUS', 'SCRAM-SHA-1', 'DIGEST-MD5', 'X-OAUTH2', 'PLAIN', 'ANONYMOUS'];

export const stanzaLink: XmppLinkFactory = () => new StanzaLink();

interface ChangeContent {
  itemType?: string;
  json?: string;
  [field: string]: string | undefined;
}

interface PublishedMessage {
  pubsub?: { items?: { node?: string; published?: Array<{ id?: string; content?: ChangeContent }> } };
}

function defineChangePayload(client: Agent): void {
  const fields: Record<string, JXT.FieldDefinition> = { json: JXT.childText(JSON_NS, 'json') };
  for (const [attr, field] of Object.entries(CHANGE_FIELDS)) fields[field] = JXT.attribute(attr);
  client.stanzas.define({
    aliases: JXT.pubsubItemContentAliases(),
    element: 'change',
    fields,
    namespace: CHANGE_NS,
    type: CHANGE_NS,
    typeField: 'itemType',
  });
}

function rawItems(msg: PublishedMessage): RawFeedItem[] {
  const items = msg.pubsub?.items;
  return (items?.published ?? []).map((item) => {
    const content = item.content;
    const change = content?.itemType === CHANGE_NS ? content : undefined;
    return {
      node: items?.node ?? '',
      itemId: item.id,
      change: change ? { attr: (name: string) => change[CHANGE_FIELDS[name] ?? ''], json: change.json } : undefined,
    };
  });
}

function requestError(err: unknown): Error {
  const condition = (err as { error?: { condition?: string } })?.error?.condition;
  return condition ? new XmppRequestError(condition) : err instanceof Error ? err : new XmppRequestError('remote-server-timeout');
}

class StanzaLink implements XmppLink {
  private client: Agent | undefined;
  private bare = '';
  private closing = false;

  connect(options: LinkConnectOptions, handlers: LinkHandlers): Promise<void> {
    this.bare = options.jid;
    const client = createClient({
      jid: options.jid,
      autoReconnect: false,
      useStreamManagement: false,
      transports: { websocket: options.transport === 'websocket' ? options.url : false, bosh: options.transport === 'bosh' ? options.url : false },
      credentials: { token: options.token, authzid: options.jid },
    } as Parameters<typeof createClient>[0]);
    this.client = client;
    for (const name of PASSWORD_MECHANISMS) client.sasl.disable(name);
    defineChangePayload(client);
    client.on('pubsub:published', (msg: unknown) => {
      for (const item of rawItems(msg as PublishedMessage)) handlers.item(item);
    });
    return new Promise<void>((resolve, reject) => {
      let established = false;
      let ended = false;
      const timer = setTimeout(() => end(`no session within ${options.timeoutMs} ms`), options.timeoutMs);
      const end = (reason: string) => {
        if (ended) return;
        ended = true;
        clearTimeout(timer);
        if (!established) {
          client.disconnect();
          reject(new Error(`${options.transport}: ${reason}`));
        } else if (!this.closing) handlers.dropped(reason);
      };
      client.on('session:started', () => {
        established = true;
        clearTimeout(timer);
        client.sendPresence();
        resolve();
      });
      client.on('auth:failed', () => end('authentication failed'));
      client.on('stream:error', (e: { condition?: string }) => end(`stream error ${e?.condition ?? ''}`.trim()));
      client.on('disconnected', () => end('disconnected'));
      client.connect();
    });
  }

  async subscriptions(service: string, node: string): Promise<SubscriptionState[]> {
    let answer: { items?: Array<{ jid?: string; node?: string; state?: string }> } | undefined;
    try {
      answer = await this.client!.getSubscriptions(service, { node });
    } catch (err) {
      throw requestError(err);
    }
    return (answer?.items ?? [])
      .filter((s) => (s.node ?? node) === node && s.jid === this.bare)
      .map((s) => (s.state ?? 'subscribed') as SubscriptionState);
  }

  async subscribe(service: string, node: string): Promise<SubscriptionState> {
    try {
      const sub = await this.client!.subscribeToNode(service, { node, jid: this.bare });
      return ((sub as { state?: string }).state ?? 'subscribed') as SubscriptionState;
    } catch (err) {
      throw requestError(err);
    }
  }

  async disconnect(): Promise<void> {
    const client = this.client;
    if (!client || this.closing) return;
    this.closing = true;
    if (!client.sessionStarted) {
      client.disconnect();
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      client.once('disconnected', () => {
        clearTimeout(timer);
        resolve();
      });
      client.disconnect();
    });
  }
}
