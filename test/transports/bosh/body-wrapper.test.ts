// XEP-0124 sections 5-6 (the <body/> wrapper, Content-Type) and 14.1 (rid syntax): the reading and rendering
// helpers of src/protocol/xep0124.ts that the HTTP adapter uses (checklist 3.1, engine side).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_BOSH_CONTENT_TYPE,
  compareBoshVersions,
  parseBoshVersion,
  parseRid,
  renderBoshBody,
  terminalHttpStatus,
  xboshAttribute,
} from '../../../src/protocol/xep0124.js';

describe('BOSH <body/> wrapper (XEP-0124 sections 5, 6, 14.1, 17.1)', () => {
  it('an empty response is a self-closing body in the httpbind namespace', () => {
    assert.equal(renderBoshBody({}, []), "<body xmlns='http://jabber.org/protocol/httpbind'/>");
  });

  it('a body with payloads declares xmlns:stream and contains them verbatim', () => {
    assert.equal(
      renderBoshBody({ ack: '5' }, ['<message/>', '<presence/>']),
      "<body xmlns='http://jabber.org/protocol/httpbind' xmlns:stream='http://etherx.jabber.org/streams' ack='5'><message/><presence/></body>",
    );
  });

  it('xmpp: attributes bring the urn:xmpp:xbosh declaration', () => {
    assert.match(renderBoshBody({ 'xmpp:version': '1.0' }, []), / xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0'\/>$/);
  });

  it('attribute values are escaped', () => {
    assert.match(renderBoshBody({ condition: "a'b<c" }, []), /condition='a&apos;b&lt;c'/);
  });

  it('the default Content-Type is text/xml; charset=utf-8', () => {
    assert.equal(DEFAULT_BOSH_CONTENT_TYPE, 'text/xml; charset=utf-8');
  });

  it('rids are positive integers up to 2^53-1', () => {
    assert.equal(parseRid('9007199254740991'), 9007199254740991);
    assert.equal(parseRid('9007199254740992'), undefined);
    assert.equal(parseRid('0'), undefined);
    assert.equal(parseRid(' 5'), undefined);
    assert.equal(parseRid(undefined), undefined);
  });

  it('versions compare their minor part as an integer', () => {
    assert.ok(compareBoshVersions(parseBoshVersion('1.11')!, parseBoshVersion('1.6')!) > 0);
    assert.ok(compareBoshVersions(parseBoshVersion('2.0')!, parseBoshVersion('1.99')!) > 0);
    assert.equal(parseBoshVersion('1'), undefined);
  });

  it('legacy clients get 400/403/404 for the starred conditions only; others always get 200', () => {
    assert.equal(terminalHttpStatus('bad-request', true), 400);
    assert.equal(terminalHttpStatus('policy-violation', true), 403);
    assert.equal(terminalHttpStatus('item-not-found', true), 404);
    assert.equal(terminalHttpStatus('host-unknown', true), 200);
    assert.equal(terminalHttpStatus('item-not-found', false), 200);
  });

  it('xbosh attributes are found through their declared prefix, or the conventional xmpp: one', () => {
    assert.equal(xboshAttribute({ 'xmlns:q': 'urn:xmpp:xbosh', 'q:restart': 'true' }, 'restart'), 'true');
    assert.equal(xboshAttribute({ 'xmpp:restart': 'true' }, 'restart'), 'true');
    assert.equal(xboshAttribute({ 'xmlns:q': 'urn:other', 'q:restart': 'true' }, 'restart'), undefined);
  });
});
