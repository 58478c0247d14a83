// RFC 6120 section 4.3.2: the stream features offered at each stage of negotiation
// (STARTTLS 5.4.1, SASL 6.4.1 with XEP-0440 channel-binding types, resource binding 7.4) plus those
// contributed by modules after bind.

import { NS } from '../protocol/namespaces.js';
import { escapeText } from '../xml/escape.js';

export type NegotiationStage = 'tls' | 'sasl' | 'bound';

export interface FeatureOptions {
  offerStartTls: boolean;
  requireTls: boolean;
  mechanisms: string[];
  /** XEP-0440: the channel-binding types this stream supports, advertised beside the mechanisms. */
  channelBindingTypes?: string[];
  /** Serialised extra features after authentication (stream management, roster versioning, ...). */
  extras: string[];
}

export function featuresXml(stage: NegotiationStage, o: FeatureOptions): string {
  let out = `<stream:features xmlns:stream='${NS.STREAM}'>`;
  if (stage !== 'bound') {
    if (o.offerStartTls) {
      out += `<starttls xmlns='${NS.TLS}'>${o.requireTls ? '<required/>' : ''}</starttls>`;
    }
    // RFC 6120 5.3.1: while TLS is mandatory only STARTTLS is offered.
    if (!(o.offerStartTls && o.requireTls) && o.mechanisms.length > 0) {
      out += `<mechanisms xmlns='${NS.SASL}'>`;
      for (const m of o.mechanisms) out += `<mechanism>${escapeText(m)}</mechanism>`;
      out += '</mechanisms>';
      if (o.channelBindingTypes && o.channelBindingTypes.length > 0) {
        out += `<sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'>`;
        for (const t of o.channelBindingTypes) out += `<channel-binding type='${t}'/>`;
        out += '</sasl-channel-binding>';
      }
    }
  } else {
    out += `<bind xmlns='${NS.BIND}'/><session xmlns='${NS.SESSION}'><optional/></session>`;
    for (const extra of o.extras) out += extra;
  }
  return out + '</stream:features>';
}
