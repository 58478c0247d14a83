// Drives a server mechanism against a client-side callback until success or failure, the way the
// stream layer would (RFC 6120 section 6.4), recording every server step.

import type { SaslMechanism, SaslStep } from '../../../src/stream/sasl/index.js';

export async function drive(
  server: SaslMechanism,
  initial: Buffer | undefined,
  respond: (challenge: Buffer) => Buffer | Promise<Buffer>,
  maxRounds = 5,
): Promise<{ final: SaslStep; steps: SaslStep[] }> {
  const steps: SaslStep[] = [];
  let step = await server.start(initial);
  steps.push(step);
  for (let round = 0; step.kind === 'challenge' && round < maxRounds; round++) {
    step = await server.step(await respond(step.data));
    steps.push(step);
  }
  return { final: step, steps };
}
