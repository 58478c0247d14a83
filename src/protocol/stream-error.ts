// RFC 6120 section 4.9: stream errors. The element carries its own xmlns:stream declaration so the
// same serialisation works on TCP and in RFC 7395 WebSocket frames (which have no enclosing stream).

import { escapeText } from '../xml/escape.js';
import { NS } from './namespaces.js';

export type StreamErrorCondition =
  | 'bad-format'
  | 'bad-namespace-prefix'
  | 'conflict'
  | 'connection-timeout'
  | 'host-gone'
  | 'host-unknown'
  | 'improper-addressing'
  | 'internal-server-error'
  | 'invalid-from'
  | 'invalid-namespace'
  | 'invalid-xml'
  | 'not-authorized'
  | 'not-well-formed'
  | 'policy-violation'
  | 'remote-connection-failed'
  | 'reset'
  | 'resource-constraint'
  | 'restricted-xml'
  | 'see-other-host'
  | 'system-shutdown'
  | 'undefined-condition'
  | 'unsupported-encoding'
  | 'unsupported-feature'
  | 'unsupported-stanza-type'
  | 'unsupported-version';

export function streamErrorXml(condition: StreamErrorCondition, text?: string, content?: string): string {
  let out = `<stream:error xmlns:stream='${NS.STREAM}'><${condition} xmlns='${NS.STREAMS}'`;
  out += content ? `>${escapeText(content)}</${condition}>` : '/>';
  if (text) out += `<text xmlns='${NS.STREAMS}' xml:lang='en'>${escapeText(text)}</text>`;
  return out + '</stream:error>';
}
