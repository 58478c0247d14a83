// A minimal XMLHttpRequest (the WHATWG interface, asynchronous requests only) on node:http(s), for running the
// browser build of Strophe.js's BOSH transport in Node. Enough of the interface for Strophe: open, send,
// setRequestHeader, abort, readyState/status/responseText/responseXML, onreadystatechange, response headers.
// Self-signed certificates are accepted: it only ever talks to the test servers on loopback.

import http from 'node:http';
import https from 'node:https';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { MiniDocument } from './mini-dom.js';
import { MiniDOMParser } from './mini-dom-parser.js';

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 4 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 4, rejectUnauthorized: false }),
};

export class NodeXMLHttpRequest {
  static readonly UNSENT = 0;
  static readonly OPENED = 1;
  static readonly DONE = 4;
  readyState = 0;
  status = 0;
  statusText = '';
  responseText = '';
  responseXML: MiniDocument | null = null;
  timeout = 0;
  withCredentials = false;
  onreadystatechange: (() => void) | null = null;
  onload: (() => void) | null = null;
  onerror: ((err: unknown) => void) | null = null;
  private method = 'GET';
  private url = '';
  private readonly headers: Record<string, string> = {};
  private responseHeaders: http.IncomingHttpHeaders = {};
  private request: http.ClientRequest | undefined;
  private aborted = false;

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
    this.readyState = 1;
    this.fire();
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name.toLowerCase()] = value;
  }

  overrideMimeType(): void {}

  getAllResponseHeaders(): string {
    return Object.entries(this.responseHeaders)
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
      .join('\r\n');
  }

  getResponseHeader(name: string): string | null {
    const v = this.responseHeaders[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }

  send(body?: string | null): void {
    const target = new URL(this.url);
    const secure = target.protocol === 'https:';
    const payload = body == null ? undefined : Buffer.from(body, 'utf8');
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate', ...this.headers };
    if (payload) headers['content-length'] = String(payload.length);
    const req = (secure ? https : http).request(target, { method: this.method, headers, agent: secure ? agents.https : agents.http }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (this.aborted) return;
        const raw = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        const text = (encoding === 'gzip' ? gunzipSync(raw) : encoding === 'deflate' ? inflateSync(raw) : raw).toString('utf8');
        this.status = res.statusCode ?? 0;
        this.statusText = res.statusMessage ?? '';
        this.responseHeaders = res.headers;
        this.responseText = text;
        this.responseXML = /xml/.test(String(res.headers['content-type'])) && text !== '' ? new MiniDOMParser().parseFromString(text) : null;
        this.readyState = 4;
        this.fire();
        this.onload?.();
      });
    });
    req.on('error', (err) => {
      if (this.aborted) return;
      this.status = 0;
      this.readyState = 4;
      this.fire();
      this.onerror?.(err);
    });
    if (this.timeout > 0) req.setTimeout(this.timeout, () => req.destroy(new Error('timeout')));
    this.request = req;
    req.end(payload);
  }

  abort(): void {
    this.aborted = true;
    this.request?.destroy();
    this.readyState = 0;
  }

  private fire(): void {
    this.onreadystatechange?.();
  }
}
