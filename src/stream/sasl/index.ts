// RFC 4422 server-side SASL mechanisms for RFC 6120 section 6: the public face of src/stream/sasl.

export {
  TLS_EXPORTER_LABEL,
  TLS_EXPORTER_LENGTH,
  type ChannelBindingType,
  type SaslContext,
  type SaslCredentialSource,
  type SaslFailure,
  type SaslMechanism,
  type SaslStep,
  type ScramCredentials,
  type ScramHash,
} from './mechanism.js';
export { deriveScramCredentials, keysFromSaltedPassword, MIN_ITERATIONS, saltedPassword } from './scram-keys.js';
export { createMechanism, offeredMechanisms } from './registry.js';
export { prepareUsername } from './identity.js';
export { ScramMechanism } from './scram.js';
export { PlainMechanism } from './plain.js';
export { OAuthBearerMechanism } from './oauthbearer.js';
export { XOAuth2Mechanism } from './x-oauth2.js';
