// RFC 5801 section 4 (the GS2 header: channel-binding flag and authzid) as SCRAM (RFC 5802
// section 7) and OAUTHBEARER (RFC 7628 section 3.1) use it, and the saslname encoding of RFC 5802
// section 5.1 (',' as =2C, '=' as =3D). The non-standard "F" flag is not accepted.

export type ChannelBindingFlag = 'n' | 'y' | 'p';

export interface Gs2Header {
  flag: ChannelBindingFlag;
  /** The cb-name after "p=", e.g. "tls-exporter". */
  cbName?: string;
  /** The decoded authzid, when the client sent one. */
  authzid?: string;
  /** The header exactly as sent, trailing comma included; SCRAM echoes it in c=. */
  raw: string;
}

const RE_GS2_HEADER = /^(n|y|p=([A-Za-z0-9.-]+)),(?:a=([^,]*))?,/;

/** Decodes a saslname; undefined when it is empty or has an '=' other than =2C / =3D. */
export function decodeSaslname(s: string): string | undefined {
  if (s.length === 0 || s.includes('\0')) return undefined;
  let bad = false;
  const decoded = s.replace(/=(2C|3D)?/g, (_m, code: string | undefined) => {
    if (code === undefined) bad = true;
    return code === '2C' ? ',' : '=';
  });
  return bad ? undefined : decoded;
}

export function encodeSaslname(s: string): string {
  return s.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** Parses the GS2 header at the start of `message`; undefined when it is malformed. */
export function parseGs2Header(message: string): Gs2Header | undefined {
  const m = RE_GS2_HEADER.exec(message);
  if (!m) return undefined;
  const header: Gs2Header = { flag: m[1][0] as ChannelBindingFlag, raw: m[0] };
  if (m[2] !== undefined) header.cbName = m[2];
  if (m[3] !== undefined) {
    const authzid = decodeSaslname(m[3]);
    if (authzid === undefined) return undefined;
    header.authzid = authzid;
  }
  return header;
}
