// The BOSH client's HTTP/1.1 response framing (bench/load/http-response-parser.ts, RFC 9112 section 6).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpResponseParser, type HttpResponse } from '../../bench/load/http-response-parser.js';

function parse(chunks: string[]): HttpResponse[] {
  const out: HttpResponse[] = [];
  const parser = new HttpResponseParser((r) => out.push(r));
  for (const c of chunks) parser.push(c);
  return out;
}

const body = "<body xmlns='http://jabber.org/protocol/httpbind'/>";
const withLength = `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const chunked = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${(10).toString(16)}\r\n${body.slice(0, 10)}\r\n${(body.length - 10).toString(16)}\r\n${body.slice(10)}\r\n0\r\n\r\n`;

describe('HttpResponseParser', () => {
  it('a Content-Length body is delivered once complete', () => {
    assert.deepEqual(parse([withLength]), [{ status: 200, body, close: false }]);
  });

  it('a chunked body is reassembled', () => {
    assert.deepEqual(parse([chunked]), [{ status: 200, body, close: false }]);
  });

  it('responses cut anywhere, or two in one read, come out the same', () => {
    const two = withLength + chunked;
    for (let cut = 1; cut < two.length; cut++) {
      assert.deepEqual(parse([two.slice(0, cut), two.slice(cut)]).map((r) => r.body), [body, body], `cut at ${cut}`);
    }
  });

  it('Connection: close and HTTP/1.0 mark the connection as ending', () => {
    const closing = withLength.replace('Content-Type', 'Connection: close\r\nContent-Type');
    assert.equal(parse([closing])[0].close, true);
    assert.equal(parse([withLength.replace('HTTP/1.1', 'HTTP/1.0')])[0].close, true);
  });

  it('a non-2xx status is reported, not swallowed', () => {
    assert.equal(parse(['HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'])[0].status, 404);
  });
});
