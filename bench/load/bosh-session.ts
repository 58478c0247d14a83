// A BOSH client session for load generation: XEP-0124 section 7 (session creation with hold=1),
// XEP-0206 section 5 (SASL and the restart request) and then the steady state of XEP-0124 section
// 11: one empty request kept waiting at the server, a second request only when there are stanzas to
// send, never more than two outstanding, each on its own keep-alive connection. Stanzas queued while
// two requests are out ride together on the next one, as real BOSH clients batch them. Stanzas in
// a <body> carry xmlns='jabber:client' (XEP-0206 section 4), since the body's namespace is httpbind.

import { HttpConnection } from './http-connection.js';
import { plainResponse, type Target } from './target.js';

const NS = 'http://jabber.org/protocol/httpbind';

export class BoshSession {
  sid = '';
  jid = '';
  /** Set when the server ended the session (the condition) or a request failed. */
  failure = '';
  /** performance.now() of the last response received. */
  lastResponseAt = 0;
  /** Called with the text of every response body that carries payload. */
  onPayload: (body: string) => void = () => {};
  /** Called once when `failure` is set. */
  onFailure: (reason: string) => void = () => {};
  private rid: number;
  private readonly url: URL;
  private readonly connections: HttpConnection[] = [];
  private outstanding = 0;
  private queue: string[] = [];
  private running = false;
  private ending = false;

  constructor(
    private readonly target: Target,
    readonly index: number,
    private readonly resource: string,
    private readonly wait = 60,
  ) {
    if (!target.boshUrl) throw new Error('no BOSH endpoint');
    this.url = new URL(target.boshUrl);
    this.rid = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
  }

  /** Creates the session, authenticates with PLAIN, restarts and binds `resource`. */
  async login(): Promise<void> {
    const created = await this.exchange(
      `<body content='text/xml; charset=utf-8' hold='1' rid='${this.rid++}' to='${this.target.domain}' ver='1.6' wait='${this.wait}' ` +
        `xml:lang='en' xmlns='${NS}' xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0'/>`,
      '<stream:features',
    );
    const sid = /\ssid=["']([^"']+)["']/.exec(created);
    if (!sid) throw new Error(`no sid in session creation response: ${created.slice(0, 200)}`);
    this.sid = sid[1];
    if (!created.includes('>PLAIN<')) throw new Error('server does not offer SASL PLAIN over BOSH');
    const auth = await this.exchange(
      this.body(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plainResponse(this.target, this.index)}</auth>`),
      /<success|<failure/,
    );
    if (!auth.includes('<success')) throw new Error(`SASL failure: ${auth.slice(0, 200)}`);
    await this.exchange(
      `<body rid='${this.rid++}' sid='${this.sid}' to='${this.target.domain}' xml:lang='en' xmpp:restart='true' xmlns='${NS}' xmlns:xmpp='urn:xmpp:xbosh'/>`,
      '<stream:features',
    );
    const bound = await this.exchange(
      this.body(`<iq type='set' id='bind1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${this.resource}</resource></bind></iq>`),
      '</iq>',
    );
    const jid = /<jid>([^<]+)<\/jid>/.exec(bound);
    if (!jid) throw new Error(`bind failed: ${bound.slice(0, 200)}`);
    this.jid = jid[1];
  }

  /** Enters the steady state: sends initial presence and keeps one request waiting from now on. */
  start(): void {
    this.running = true;
    this.send("<presence xmlns='jabber:client'/>");
  }

  send(stanza: string): void {
    this.queue.push(stanza);
    this.pump();
  }

  get pendingRequests(): number {
    return this.outstanding;
  }

  /** Ends the session (XEP-0124 section 12) and closes its connections. */
  async terminate(): Promise<void> {
    this.running = false;
    this.ending = true; // the server's answers to the held requests are no failure now
    if (!this.failure && this.sid && this.outstanding < 2) {
      const connection = this.freeConnection();
      const done = connection.post(`<body rid='${this.rid++}' sid='${this.sid}' type='terminate' xmlns='${NS}'><presence type='unavailable' xmlns='jabber:client'/></body>`);
      await Promise.race([done.catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
    }
    for (const c of this.connections) c.close();
  }

  private body(payload: string): string {
    return `<body rid='${this.rid++}' sid='${this.sid}' xmlns='${NS}'>${payload}</body>`;
  }

  /** One request during login, then empty polls until `want` shows up (at most three). */
  private async exchange(first: string, want: string | RegExp): Promise<string> {
    let text = await this.post(first);
    for (let polls = 0; !matches(text, want); polls++) {
      if (polls === 3) throw new Error(`expected ${String(want)}, got ${text.slice(0, 200)}`);
      text += await this.post(this.body(''));
    }
    return text;
  }

  private async post(body: string): Promise<string> {
    const response = await this.freeConnection().post(body);
    if (response.status !== 200) throw new Error(`HTTP ${response.status} from ${this.url.pathname}`);
    if (/type=["']terminate["']/.test(response.body)) throw new Error(`session terminated: ${condition(response.body)}`);
    return response.body;
  }

  private freeConnection(): HttpConnection {
    const free = this.connections.find((c) => !c.busy);
    if (free) return free;
    const c = new HttpConnection(this.url.hostname, Number(this.url.port), this.url.pathname);
    this.connections.push(c);
    return c;
  }

  private pump(): void {
    while (this.running && !this.failure && this.outstanding < 2 && (this.queue.length > 0 || this.outstanding === 0)) {
      const payload = this.queue.length === 1 ? this.queue[0] : this.queue.join('');
      this.queue = [];
      this.outstanding++;
      this.freeConnection()
        .post(this.body(payload))
        .then(
          (response) => {
            this.outstanding--;
            this.lastResponseAt = performance.now();
            if (response.status !== 200) return this.fail(`HTTP ${response.status}`);
            if (response.body.includes('terminate') && /type=["']terminate["']/.test(response.body)) {
              return this.fail(`terminated: ${condition(response.body)}`);
            }
            this.onPayload(response.body);
            this.pump();
          },
          (err: Error) => {
            this.outstanding--;
            this.fail(err.message);
          },
        );
    }
  }

  private fail(reason: string): void {
    if (this.failure) return;
    this.failure = reason;
    this.running = false;
    if (!this.ending) this.onFailure(reason);
  }
}

function matches(text: string, want: string | RegExp): boolean {
  return typeof want === 'string' ? text.includes(want) : want.test(text);
}

function condition(body: string): string {
  return /condition=["']([^"']+)["']/.exec(body)?.[1] ?? 'no condition';
}
