// RFC 7622 (XMPP address format) and XEP-0106 (JID escaping): the public face of src/jid.

export { Jid, jid, parseJid, tryParseJid } from './jid.js';
export { InvalidJidError, type JidPart } from './errors.js';
export { normalizeLocalpart, normalizeDomainpart, normalizeResourcepart } from './parts.js';
export { escapeLocal, unescapeLocal } from './escaping.js';
