// XEP-0115 5.1 (verification string) and 5.4 (answers that may not be trusted), which decide whether the
// PEP service trusts a resource's '+notify' features (XEP-0163 4.2).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../../src/xml/parse-document.js';
import { verificationString, verifiesCaps } from '../../../src/modules/pep/caps-verification.js';

const simple = parseDocument(`<query xmlns='http://jabber.org/protocol/disco#info' node='http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0='>
  <identity category='client' name='Exodus 0.9.1' type='pc'/>
  <feature var='http://jabber.org/protocol/caps'/>
  <feature var='http://jabber.org/protocol/disco#info'/>
  <feature var='http://jabber.org/protocol/disco#items'/>
  <feature var='http://jabber.org/protocol/muc'/>
</query>`);

const complex = parseDocument(`<query xmlns='http://jabber.org/protocol/disco#info' node='http://psi-im.org#q07IKJEyjvHSyhy//CH0CxmKi8w='>
  <identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>
  <identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>
  <feature var='http://jabber.org/protocol/caps'/>
  <feature var='http://jabber.org/protocol/disco#info'/>
  <feature var='http://jabber.org/protocol/disco#items'/>
  <feature var='http://jabber.org/protocol/muc'/>
  <x xmlns='jabber:x:data' type='result'>
    <field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>
    <field var='ip_version' type='text-multi'><value>ipv4</value><value>ipv6</value></field>
    <field var='os'><value>Mac</value></field>
    <field var='os_version'><value>10.5.1</value></field>
    <field var='software'><value>Psi</value></field>
    <field var='software_version'><value>0.11</value></field>
  </x>
</query>`);

describe('XEP-0115 verification', () => {
  it('the simple example of 5.2 hashes to its ver', () => {
    assert.equal(verifiesCaps(simple, 'sha-1', 'QgayPKawpkPSDYmwT/WM94uAlu0='), true);
  });

  it('the complex example of 5.3, with languages and an extended form, hashes to its ver', () => {
    assert.equal(verifiesCaps(complex, 'sha-1', 'q07IKJEyjvHSyhy//CH0CxmKi8w='), true);
  });

  it('an answer that does not hash to the announced ver is not trusted (5.4 poisoning)', () => {
    assert.equal(verifiesCaps(simple, 'sha-1', 'q07IKJEyjvHSyhy//CH0CxmKi8w='), false);
  });

  it('an unknown hash function is not trusted', () => {
    assert.equal(verifiesCaps(simple, 'md4', 'QgayPKawpkPSDYmwT/WM94uAlu0='), false);
  });

  it('duplicate features, duplicate identities, two forms of one FORM_TYPE or a visible FORM_TYPE make the answer ill-formed (5.4)', () => {
    const dup = parseDocument(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc'/><feature var='a'/><feature var='a'/></query>`);
    assert.equal(verificationString(dup), undefined);
    const dupId = parseDocument(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc'/><identity category='client' type='pc'/></query>`);
    assert.equal(verificationString(dupId), undefined);
    const form = `<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:f</value></field></x>`;
    const dupForm = parseDocument(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc'/>${form}${form}</query>`);
    assert.equal(verificationString(dupForm), undefined);
    const visible = parseDocument(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc'/><x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE'><value>urn:f</value></field></x></query>`);
    assert.equal(verificationString(visible), undefined);
  });

  it('sorting is by octets, not by UTF-16 code units (i;octet)', () => {
    const q = parseDocument(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc'/><feature var='\u{1F600}'/><feature var='\uFF21'/></query>`);
    assert.equal(verificationString(q), 'client/pc//<\uFF21<\u{1F600}<');
  });
});
