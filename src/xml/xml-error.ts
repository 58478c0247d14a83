// RFC 6120 section 4.9.3 (stream error conditions) as used by the XML layer: 4.9.3.13 not-well-formed,
// 4.9.3.18 restricted-xml (section 11.1), 4.9.3.14 policy-violation (local size and depth limits) and
// 4.9.3.11 invalid-xml. The condition names are the stream error element names, so a transport can
// send `<condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>` without a mapping table.

export type XmlErrorCondition = 'not-well-formed' | 'restricted-xml' | 'policy-violation' | 'invalid-xml';

/** Thrown by parseDocument and internally by the tag parser; carries the stream error condition. */
export class XmlParseError extends Error {
  readonly condition: XmlErrorCondition;

  constructor(condition: XmlErrorCondition, message: string) {
    super(message);
    this.name = 'XmlParseError';
    this.condition = condition;
  }
}
