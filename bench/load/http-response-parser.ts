// Just enough of HTTP/1.1 response framing (RFC 9112 section 6: Content-Length or chunked transfer
// coding) for a BOSH client that talks to one server over keep-alive connections. Text is handled
// as latin1 so that byte counts and string lengths agree.

export interface HttpResponse {
  status: number;
  body: string;
  /** The server asked to close the connection after this response. */
  close: boolean;
}

export class HttpResponseParser {
  private buffer = '';

  constructor(private readonly onResponse: (response: HttpResponse) => void) {}

  push(text: string): void {
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
    while (this.buffer.length > 0) {
      const consumed = this.parseOne();
      if (consumed === 0) return;
      this.buffer = this.buffer.slice(consumed);
    }
  }

  /** Parses one complete response from the buffer; returns the characters consumed, 0 if incomplete. */
  private parseOne(): number {
    const s = this.buffer;
    const headEnd = s.indexOf('\r\n\r\n');
    if (headEnd < 0) return 0;
    const head = s.slice(0, headEnd);
    const lines = head.split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 'NaN');
    if (!Number.isFinite(status)) throw new Error(`not an HTTP response: ${lines[0].slice(0, 80)}`);
    let length = -1;
    let chunked = false;
    let close = lines[0].startsWith('HTTP/1.0');
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      if (colon < 0) continue;
      const name = lines[i].slice(0, colon).trim().toLowerCase();
      const value = lines[i].slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.includes('chunked');
      else if (name === 'connection') close = value.includes('close') ? true : value.includes('keep-alive') ? false : close;
    }
    const bodyStart = headEnd + 4;
    if (chunked) {
      let pos = bodyStart;
      let body = '';
      for (;;) {
        const lineEnd = s.indexOf('\r\n', pos);
        if (lineEnd < 0) return 0;
        const size = parseInt(s.slice(pos, lineEnd), 16);
        if (!Number.isFinite(size)) throw new Error('bad chunk size');
        const dataStart = lineEnd + 2;
        if (size === 0) {
          // No trailers are expected; the terminating CRLF follows the zero-size line.
          if (s.length < dataStart + 2) return 0;
          this.onResponse({ status, body, close });
          return dataStart + 2;
        }
        if (s.length < dataStart + size + 2) return 0;
        body += s.slice(dataStart, dataStart + size);
        pos = dataStart + size + 2;
      }
    }
    if (length < 0) {
      // Neither length nor chunking: the body runs to the end of the connection (not used by BOSH servers).
      if (status === 204 || status === 304) length = 0;
      else throw new Error('response without Content-Length or chunked coding');
    }
    if (s.length < bodyStart + length) return 0;
    this.onResponse({ status, body: s.slice(bodyStart, bodyStart + length), close });
    return bodyStart + length;
  }
}
