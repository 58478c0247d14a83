// A realistic client-to-server XMPP stream for parser benchmarks (RFC 6120 section 4: a stream header,
// then stanzas): chat messages (RFC 6121 section 5, XEP-0085 chat states, XEP-0184 receipts, XEP-0359
// ids), presence with entity capabilities (XEP-0115), roster pushes (RFC 6121 section 2.1.6), pubsub
// notifications (XEP-0060 section 7.1.2) carrying Atom entries and JSON calendar events (XEP-0335),
// and disco#info results (XEP-0030). Deterministic: the same seed always gives the same bytes.

export const STREAM_HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
  "to='example.com' from='juliet@example.com' version='1.0' xml:lang='en'>";

/** mulberry32: a tiny seeded PRNG so the corpus is identical on every run and machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'meeting', 'calendar', 'tomorrow', 'review', 'lunch', 'standup', 'deadline', 'budget', 'offsite', 'sprint',
  'the', 'a', 'with', 'and', 'for', 'at', 'in', 'room', 'Q3', 'planning', 'café', 'Zürich', 'naïve', 'déjà vu',
  '日本語', 'встреча', '会議', '🎉', '📅', '👍', '&amp;', '&lt;3', 'R&amp;D', '"quoted"', "it's",
];
const USERS = ['juliet', 'romeo', 'nurse', 'benvolio', 'mercutio', 'tybalt', 'friar.laurence', 'paris', 'capulet', 'montague'];
const FEATURES = [
  'http://jabber.org/protocol/caps', 'http://jabber.org/protocol/disco#info', 'http://jabber.org/protocol/disco#items',
  'http://jabber.org/protocol/pubsub', 'http://jabber.org/protocol/pubsub#publish', 'http://jabber.org/protocol/pubsub#subscribe',
  'http://jabber.org/protocol/pubsub#retrieve-items', 'http://jabber.org/protocol/pubsub#persistent-items', 'urn:xmpp:mam:2',
  'urn:xmpp:ping', 'urn:xmpp:time', 'jabber:iq:version', 'jabber:iq:roster', 'urn:xmpp:carbons:2', 'urn:xmpp:sid:0',
  'http://jabber.org/protocol/chatstates', 'urn:xmpp:receipts', 'vcard-temp', 'urn:xmpp:blocking', 'urn:xmpp:sm:3',
];

export function buildCorpus(targetBytes: number, seed = 20240501): { text: string; stanzas: number } {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  const id = () => Math.floor(rand() * 2 ** 52).toString(36);
  const jid = () => `${pick(USERS)}@example.com`;
  const full = () => `${jid()}/${pick(['balcony', 'orchard', 'phone', 'laptop-7f3a'])}`;
  const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const iso = () => `2024-0${1 + int(9)}-1${int(10)}T${10 + int(14)}:${10 + int(50)}:00Z`;

  const kinds: Array<() => string> = [
    () =>
      `<message to='${full()}' from='${full()}' type='chat' id='${id()}' xml:lang='en'><body>${sentence(3 + int(25))}</body>` +
      `<thread>${id()}${id()}</thread><active xmlns='http://jabber.org/protocol/chatstates'/>` +
      `<request xmlns='urn:xmpp:receipts'/><origin-id xmlns='urn:xmpp:sid:0' id='${id()}-${id()}'/></message>`,
    () => `<message to='${full()}' type='chat' id='${id()}'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`,
    () =>
      `<presence from='${full()}' id='${id()}'><show>${pick(['away', 'chat', 'dnd', 'xa'])}</show><status>${sentence(2 + int(6))}</status>` +
      `<priority>${int(50)}</priority><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://almanac.example/client' ` +
      `ver='${id()}${id()}='/><x xmlns='vcard-temp:x:update'><photo>${id()}${id()}${id()}</photo></x></presence>`,
    () =>
      `<iq type='set' id='push${id()}' to='${full()}'><query xmlns='jabber:iq:roster' ver='ver${int(1000)}'>` +
      `<item jid='${jid()}' name='${pick(USERS)} ${pick(['Capulet', 'Montague', 'Éscalus'])}' subscription='${pick(['both', 'to', 'from', 'none'])}'>` +
      `<group>${pick(['Friends', 'Family', 'Work', 'Verona & Mantua'.replace('&', '&amp;')])}</group></item></query></iq>`,
    () =>
      `<message from='pubsub.example.com' to='${jid()}' id='${id()}'><event xmlns='http://jabber.org/protocol/pubsub#event'>` +
      `<items node='urn:xmpp:microblog:0'><item id='${id()}'><entry xmlns='http://www.w3.org/2005/Atom'>` +
      `<title type='text'>${sentence(4 + int(8))}</title><id>tag:example.com,2024:${id()}</id><published>${iso()}</published>` +
      `<updated>${iso()}</updated><author><name>${pick(USERS)}</name><uri>xmpp:${jid()}</uri></author>` +
      `<link rel='alternate' type='text/html' href='https://example.com/posts/${id()}?a=1&amp;b=2'/>` +
      `<content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'><p>${sentence(10 + int(30))}</p>` +
      `<p><em>${sentence(3)}</em> <a href='https://example.com/${id()}'>${sentence(2)}</a></p></div></content>` +
      `</entry></item></items></event><headers xmlns='http://jabber.org/protocol/shim'><header name='Collection'>blog</header></headers></message>`,
    () => {
      const event = {
        uid: `${id()}@almanac.example`, title: sentence(3 + int(5)).replace(/&amp;/g, '&').replace(/&lt;/g, '<'),
        start: iso(), end: iso(), timeZone: pick(['Europe/Zurich', 'America/New_York', 'Asia/Tokyo']),
        rrule: rand() < 0.3 ? 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10' : null, location: sentence(2),
        attendees: Array.from({ length: 1 + int(6) }, () => ({ email: `${pick(USERS)}@example.com`, status: pick(['accepted', 'tentative']) })),
        color: '#' + int(0xffffff).toString(16).padStart(6, '0'), modified: iso(),
      };
      const json = JSON.stringify(event).replace(/&/g, '&amp;').replace(/</g, '&lt;');
      return (
        `<message from='pubsub.example.com' to='${jid()}' id='${id()}'><event xmlns='http://jabber.org/protocol/pubsub#event'>` +
        `<items node='calendars/${id()}'><item id='${event.uid}'><json xmlns='urn:xmpp:json:0'>${json}</json></item></items>` +
        `</event><delay xmlns='urn:xmpp:delay' stamp='${iso()}'/></message>`
      );
    },
    () => {
      const features = FEATURES.filter(() => rand() < 0.7).map((f) => `<feature var='${f}'/>`).join('');
      return (
        `<iq type='result' id='disco${id()}' from='${full()}' to='${full()}'><query xmlns='http://jabber.org/protocol/disco#info' ` +
        `node='https://almanac.example/client#${id()}'><identity category='client' type='${pick(['pc', 'phone', 'web'])}' ` +
        `name='Almanac ${int(10)}.${int(10)}'/>${features}</query></iq>`
      );
    },
    () => `<iq type='get' id='ping${id()}' to='example.com'><ping xmlns='urn:xmpp:ping'/></iq>`,
  ];
  const weights = [30, 10, 20, 8, 10, 12, 6, 4];
  const total = weights.reduce((a, b) => a + b, 0);

  const parts: string[] = [STREAM_HEADER];
  let size = STREAM_HEADER.length;
  let stanzas = 0;
  while (size < targetBytes) {
    let r = rand() * total;
    let k = 0;
    while (r >= weights[k]!) r -= weights[k++]!;
    const stanza = kinds[k]!() + (rand() < 0.3 ? '\n' : '');
    parts.push(stanza);
    size += Buffer.byteLength(stanza);
    stanzas++;
  }
  parts.push('</stream:stream>');
  return { text: parts.join(''), stanzas };
}
