// Structured logs (pino) with levels, one logger for the process; `almanac serve` sets the level
// from the configuration. Nothing secret is ever logged (DESIGN.md section 8): no passwords, tokens
// or stanza payloads, only addresses, conditions and counts.

import pino from 'pino';

export type Logger = pino.Logger;

export let log: Logger = pino({ level: process.env.ALMANAC_LOG_LEVEL ?? 'info', base: { service: 'almanac' } });

export function configureLogging(level: string): Logger {
  log = pino({ level, base: { service: 'almanac' } });
  return log;
}
