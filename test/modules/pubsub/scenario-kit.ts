// Shared by the pubsub, PEP and MAM scenario tests: a server with accounts, logged-in clients, IQs with
// fresh ids, and the error of an answer read as (type, stanza condition, pubsub#errors condition).

import assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { TestClient } from '../../support/test-client.js';
import type { Config } from '../../../src/config/schema.js';

export const PUBSUB = 'http://jabber.org/protocol/pubsub';
export const OWNER = 'http://jabber.org/protocol/pubsub#owner';
export const EVENT = 'http://jabber.org/protocol/pubsub#event';
export const ERRORS = 'http://jabber.org/protocol/pubsub#errors';
export const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
export const SERVICE = 'pubsub.localhost';

export class PubsubClient {
  private next = 0;
  constructor(readonly client: TestClient) {}

  get jid(): string {
    return this.client.jid;
  }

  /** Sends an IQ (the id is filled in) and resolves with its result or error. */
  iq(type: 'get' | 'set', to: string | undefined, payload: string): Promise<Element> {
    const id = `q${++this.next}`;
    const toAttr = to === undefined ? '' : ` to='${to}'`;
    return this.client.iq(`<iq type='${type}' id='${id}'${toAttr}>${payload}</iq>`, id);
  }

  /** An IQ in the pubsub namespace to pubsub.localhost, to `to`, or with no `to` at all (null: one's own account). */
  pubsub(type: 'get' | 'set', inner: string, to: string | null = SERVICE): Promise<Element> {
    return this.iq(type, to ?? undefined, `<pubsub xmlns='${PUBSUB}'>${inner}</pubsub>`);
  }

  /** The same in the pubsub#owner namespace. */
  owner(type: 'get' | 'set', inner: string, to: string | null = SERVICE): Promise<Element> {
    return this.iq(type, to ?? undefined, `<pubsub xmlns='${OWNER}'>${inner}</pubsub>`);
  }

  /** A result's payload, failing the test with the error when the IQ was refused. */
  async ok(answer: Promise<Element>): Promise<Element> {
    const res = await answer;
    assert.equal(res.attrs.type, 'result', `expected a result, got ${res.toString()}`);
    return res;
  }

  /** The next event notification (optionally about `node`, optionally of one kind: items, subscription, purge...). */
  event(node?: string, kind?: string, ms = 5000): Promise<Element> {
    return this.client.receive((el) => el.name === 'message' && isEvent(el, node, kind), ms);
  }

  /** Asserts that no event notification arrives for a while. */
  async noEvent(node?: string, ms = 300): Promise<void> {
    const got = await this.client.nothing((el) => el.name === 'message' && isEvent(el, node), ms);
    assert.equal(got, undefined, `unexpected notification ${got?.toString()}`);
  }

  send(xml: string): void {
    this.client.send(xml);
  }

  destroy(): void {
    this.client.destroy();
  }
}

function isEvent(el: Element, node?: string, kind?: string): boolean {
  const event = el.getChild('event', EVENT);
  if (!event) return false;
  return event.getChildElements().some((c) => (node === undefined || c.attrs.node === node) && (kind === undefined || c.name === kind));
}

export interface ErrorShape {
  type: string | undefined;
  condition: string | undefined;
  pubsub?: string;
  feature?: string;
}

/** The error of an IQ answer as (type, condition, pubsub condition, feature). */
export function errorOf(res: Element): ErrorShape {
  assert.equal(res.attrs.type, 'error', `expected an error, got ${res.toString()}`);
  const error = res.getChild('error')!;
  const condition = error.getChildElements().find((c) => c.attrs.xmlns === STANZAS && c.name !== 'text');
  const app = error.getChildElements().find((c) => c.attrs.xmlns === ERRORS);
  const out: ErrorShape = { type: error.attrs.type, condition: condition?.name };
  if (app) out.pubsub = app.name;
  if (app?.attrs.feature) out.feature = app.attrs.feature;
  return out;
}

export interface Scenario {
  server: TestServer;
  /** Logs in (and sends initial presence unless `online` is false). */
  connect(user: string, resource?: string, opts?: { online?: boolean; presence?: string }): Promise<PubsubClient>;
  stop(): Promise<void>;
}

export async function startScenario(users: string[], configure: (c: Config) => void = () => undefined): Promise<Scenario> {
  const server = await startTestServer(configure);
  for (const u of users) await server.addUser(u);
  const clients: TestClient[] = [];
  return {
    server,
    async connect(user, resource = 'r', opts = {}) {
      const c = await TestClient.connect(server.ports.c2s!);
      await c.login(user, 'secret', resource);
      clients.push(c);
      if (opts.online !== false) await c.online(opts.presence ?? '');
      return new PubsubClient(c);
    },
    async stop() {
      for (const c of clients) c.destroy();
      await server.stop();
    },
  };
}

/** A data form submission with FORM_TYPE and the given fields (single values or lists). */
export function submitForm(formType: string, fields: Record<string, string | string[]>): string {
  let out = `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>${formType}</value></field>`;
  for (const [name, value] of Object.entries(fields)) {
    const values = Array.isArray(value) ? value : [value];
    out += `<field var='${name}'>${values.map((v) => `<value>${v}</value>`).join('')}</field>`;
  }
  return out + '</x>';
}

export const NODE_CONFIG = 'http://jabber.org/protocol/pubsub#node_config';
export const SUBSCRIBE_OPTIONS = 'http://jabber.org/protocol/pubsub#subscribe_options';
export const PUBLISH_OPTIONS = 'http://jabber.org/protocol/pubsub#publish-options';

/** Field values of a data form by var. */
export function formValues(x: Element | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of x?.getChildren('field') ?? []) out[f.attrs.var] = f.getChildren('value').map((v) => v.text());
  return out;
}

export const entry = (text: string): string => `<entry xmlns='urn:example:entry'>${text}</entry>`;
