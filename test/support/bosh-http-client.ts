// A BOSH client for black-box tests (XEP-0124 over real HTTP): posts <body/> documents with node:http(s),
// keeps the raw answer (status, headers, bytes) and parses the <body/> with xmpp.js's parser (@xmpp/xml),
// so the server's own parser never judges its own output. BoshTestSession adds rid bookkeeping and login.

import http from 'node:http';
import https from 'node:https';
import { gunzipSync, inflateSync } from 'node:zlib';
import { Parser, type Element } from '@xmpp/xml';

export const HTTPBIND = 'http://jabber.org/protocol/httpbind';
export const XBOSH = 'urn:xmpp:xbosh';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as sent (compressed if the server compressed them). */
  raw: Buffer;
  /** The decoded text. */
  text: string;
  /** The parsed <body/>, when the answer is XML. */
  body: Element | undefined;
}

export interface PostOptions {
  method?: string;
  headers?: Record<string, string>;
  agent?: http.Agent;
  /** Resolves with the request so a test can abort it. */
  onRequest?: (req: http.ClientRequest) => void;
}

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 16 }), https: new https.Agent({ keepAlive: true, maxSockets: 16, rejectUnauthorized: false }) };

/** One HTTP request to `url`; the body is sent as given (string or bytes). */
export function httpRequest(url: string, body: string | Buffer | undefined, opts: PostOptions = {}): Promise<HttpAnswer> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const headers: Record<string, string> = { ...opts.headers };
  if (payload !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'text/xml; charset=utf-8';
  if (payload !== undefined) headers['content-length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      target,
      { method: opts.method ?? 'POST', headers, agent: opts.agent ?? (secure ? agents.https : agents.http), rejectUnauthorized: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          const decoded = encoding === 'gzip' ? gunzipSync(raw) : encoding === 'deflate' ? inflateSync(raw) : raw;
          const text = decoded.toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text, body: parseXml(text) });
        });
      },
    );
    req.on('error', reject);
    opts.onRequest?.(req);
    req.end(payload);
  });
}

/** A <body/> document: attributes (xmlns added), then the payload as raw XML. */
export function bodyXml(attrs: Record<string, string | number>, payload = ''): string {
  let out = `<body xmlns='${HTTPBIND}'`;
  for (const [k, v] of Object.entries(attrs)) out += ` ${k}='${String(v).replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;')}'`;
  return payload === '' ? out + '/>' : `${out}>${payload}</body>`;
}

export function parseXml(text: string): Element | undefined {
  let root: Element | undefined;
  let failed = false;
  const parser = new Parser();
  parser.on('start', (el) => (root = el));
  parser.on('element', (el) => {
    if (root) {
      el.parent = root;
      root.children.push(el);
    }
  });
  parser.on('end', (el) => (root ??= el));
  parser.on('error', () => (failed = true));
  try {
    parser.write(text);
  } catch {
    return undefined;
  }
  return failed ? undefined : root;
}

/** Creation attributes a modern client sends (Strophe's, section 7.1 and XEP-0206 section 3). */
export function creationAttrs(rid: number, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return { rid, to: 'localhost', 'xml:lang': 'en', ver: '1.6', wait: 10, hold: 1, 'xmlns:xmpp': XBOSH, 'xmpp:version': '1.0', ...extra };
}

export function randomRid(): number {
  return 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
}

/** One BOSH session: the sid from the creation response, and the next rid to use. */
export class BoshTestSession {
  private constructor(
    readonly url: string,
    readonly sid: string,
    public rid: number,
    readonly creation: HttpAnswer,
  ) {}

  /** Creates a session; fails the test if the answer has no sid. */
  static async create(url: string, extra: Record<string, string | number> = {}, opts: PostOptions = {}): Promise<BoshTestSession> {
    const rid = randomRid();
    const creation = await httpRequest(url, bodyXml(creationAttrs(rid, extra)), opts);
    const sid = creation.body?.attrs.sid;
    if (!sid) throw new Error(`no session: HTTP ${creation.status} ${creation.text}`);
    return new BoshTestSession(url, sid, rid, creation);
  }

  /** Sends the next rid with `payload` and extra attributes. */
  send(payload = '', attrs: Record<string, string | number> = {}, opts: PostOptions = {}): Promise<HttpAnswer> {
    return this.sendRid(++this.rid, payload, attrs, opts);
  }

  /** Sends an explicit rid (for resends and out-of-order tests); does not move the counter. */
  sendRid(rid: number, payload = '', attrs: Record<string, string | number> = {}, opts: PostOptions = {}): Promise<HttpAnswer> {
    return httpRequest(this.url, bodyXml({ rid, sid: this.sid, ...attrs }, payload), opts);
  }

  /** SASL PLAIN, restart, bind (XEP-0206 sections 4-5); returns the bound JID. */
  async login(username: string, password = 'secret', resource = 'bosh'): Promise<string> {
    const auth = Buffer.from(`\0${username}\0${password}`).toString('base64');
    const outcome = await this.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${auth}</auth>`);
    if (!outcome.body?.getChild('success')) throw new Error(`login failed: ${outcome.text}`);
    const features = await this.send('', { 'xmlns:xmpp': XBOSH, 'xmpp:restart': 'true', to: 'localhost' });
    if (!features.text.includes('xmpp-bind')) throw new Error(`no bind feature after restart: ${features.text}`);
    const bound = await this.send(`<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${resource}</resource></bind></iq>`);
    const jid = bound.body?.getChild('iq')?.getChild('bind')?.getChildText('jid');
    if (!jid) throw new Error(`bind failed: ${bound.text}`);
    return jid;
  }
}

/** The payload elements of an answer. */
export function payloadOf(answer: HttpAnswer): Element[] {
  return answer.body?.getChildElements() ?? [];
}
