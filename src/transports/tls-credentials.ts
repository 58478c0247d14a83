// RFC 7590: TLS for XMPP. The certificate comes from the configuration, or a self-signed one is
// generated into the data directory on first start (so `npm start` works on a fresh machine).
// TLS 1.2 is the minimum (RFC 7590 section 3.1).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';

export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
  context: SecureContext;
  /** True when generated here; clients will need to skip verification or trust it explicitly. */
  selfSigned: boolean;
}

export function loadTlsCredentials(opts: { certFile?: string; keyFile?: string; dataDir: string; domain: string }): TlsCredentials {
  let certPath = opts.certFile;
  let keyPath = opts.keyFile;
  let selfSigned = false;
  if (!certPath || !keyPath) {
    const dir = join(opts.dataDir, 'tls');
    certPath = join(dir, `${opts.domain}.crt`);
    keyPath = join(dir, `${opts.domain}.key`);
    selfSigned = true;
    if (!existsSync(certPath) || !existsSync(keyPath)) {
      mkdirSync(dir, { recursive: true });
      generateSelfSigned(opts.domain, certPath, keyPath);
    }
  }
  const cert = readFileSync(certPath);
  const key = readFileSync(keyPath);
  const context = createSecureContext({ cert, key, minVersion: 'TLSv1.2' });
  return { cert, key, context, selfSigned };
}

function generateSelfSigned(domain: string, certPath: string, keyPath: string): void {
  const san = `subjectAltName=DNS:${domain},DNS:*.${domain},IP:127.0.0.1`;
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650',
      '-subj', `/CN=${domain}`, '-addext', san, '-keyout', keyPath, '-out', certPath],
    { stdio: 'ignore' },
  );
}
