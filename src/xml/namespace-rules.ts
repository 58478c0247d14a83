// Namespaces in XML 1.0 (Third Edition) section 3 (declaring namespaces: the reserved xml and xmlns
// prefixes, no empty prefixed declaration in 1.0), section 5 (NSC: Prefix Declared) and section 6.3
// (attributes unique by expanded name). RFC 6120 section 4.9.3.13 makes a violation not-well-formed.

import type { Attributes } from './element.js';
import { clip, qnameColon } from './xml-chars.js';
import { XmlParseError } from './xml-error.js';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

function fail(message: string): never {
  throw new XmlParseError('not-well-formed', message);
}

function resolvePrefix(prefix: string, attrs: Attributes, ancestors: readonly Attributes[], ancestorCount: number): string | undefined {
  const key = 'xmlns:' + prefix;
  if (Object.hasOwn(attrs, key)) return attrs[key];
  for (let d = ancestorCount - 1; d >= 0; d--) {
    const scope = ancestors[d]!;
    if (Object.hasOwn(scope, key)) return scope[key];
  }
  return undefined;
}

/**
 * Checks an element whose name or attribute names carry a prefix. `ancestors[0..ancestorCount)` are
 * the attributes of the open ancestors, outermost first. `undeclaredOk` names a prefix tolerated
 * without a declaration (the stream root's 'stream', whose namespace the stream engine checks itself).
 */
export function checkNamespaces(
  name: string,
  attrs: Attributes,
  ancestors: readonly Attributes[],
  ancestorCount: number,
  undeclaredOk: string | null,
): void {
  let prefixedAttrs = 0;
  for (const key in attrs) {
    const colon = qnameColon(key);
    if (colon === -1) continue;
    const prefix = key.slice(0, colon);
    if (prefix === 'xmlns') {
      const declared = key.slice(colon + 1);
      const uri = attrs[key];
      if (declared === 'xmlns') fail("the prefix 'xmlns' must not be declared");
      if (declared === 'xml' ? uri !== XML_NS : uri === XML_NS || uri === XMLNS_NS) {
        fail(`the prefix '${clip(declared)}' cannot be bound to ${clip(uri ?? '')}`);
      }
      if (uri === '') fail(`the prefix '${clip(declared)}' is declared with an empty namespace`);
    } else {
      prefixedAttrs++;
    }
  }
  const colon = qnameColon(name);
  if (colon !== -1) {
    const prefix = name.slice(0, colon);
    if (prefix === 'xmlns') fail("'xmlns' cannot prefix an element name");
    if (prefix !== 'xml' && prefix !== undeclaredOk && resolvePrefix(prefix, attrs, ancestors, ancestorCount) === undefined) {
      fail(`undeclared namespace prefix '${clip(prefix)}' on <${clip(name)}>`);
    }
  }
  if (prefixedAttrs === 0) return;
  const expanded = new Set<string>();
  for (const key in attrs) {
    const at = key.indexOf(':');
    if (at === -1) continue;
    const prefix = key.slice(0, at);
    if (prefix === 'xmlns') continue;
    const uri = prefix === 'xml' ? XML_NS : resolvePrefix(prefix, attrs, ancestors, ancestorCount);
    if (uri === undefined) fail(`undeclared namespace prefix '${clip(prefix)}' on attribute '${clip(key)}'`);
    const id = uri + ' ' + key.slice(at + 1);
    if (expanded.has(id)) fail(`attribute '${clip(key)}' repeats another attribute's namespace and name`);
    expanded.add(id);
  }
}
