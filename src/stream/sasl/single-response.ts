// RFC 4422 section 3.3 and RFC 6120 section 6.4.2 for mechanisms whose client speaks first and
// (normally) once: PLAIN, OAUTHBEARER and X-OAUTH2. Without an initial response the server sends an
// empty challenge and reads the message from the next <response/>.

import { challenge, failure, type SaslMechanism, type SaslStep } from './mechanism.js';

export abstract class SingleResponseMechanism implements SaslMechanism {
  abstract readonly name: string;
  private state: 'initial' | 'waiting' | 'busy' | 'done' = 'initial';

  async start(initial: Buffer | undefined): Promise<SaslStep> {
    if (this.state !== 'initial') return this.end(failure('malformed-request', 'exchange already started'));
    if (initial === undefined) {
      this.state = 'waiting';
      return challenge(Buffer.alloc(0));
    }
    return this.handle(initial);
  }

  async step(response: Buffer): Promise<SaslStep> {
    if (this.state !== 'waiting') return this.end(failure('malformed-request', 'no response expected'));
    return this.handle(response);
  }

  /** Answers one client message; a challenge keeps the exchange open for another. */
  protected abstract respond(data: Buffer): Promise<SaslStep>;

  private async handle(data: Buffer): Promise<SaslStep> {
    this.state = 'busy';
    let result: SaslStep;
    try {
      result = await this.respond(data);
    } catch {
      result = failure('temporary-auth-failure');
    }
    this.state = result.kind === 'challenge' ? 'waiting' : 'done';
    return result;
  }

  private end(result: SaslStep): SaslStep {
    this.state = 'done';
    return result;
  }
}
