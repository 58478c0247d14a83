// Structured logs (pino) with levels, one logger for the process; `almanac serve` sets the level
// from the configuration. Nothing secret is ever logged (DESIGN.md section 8): no passwords, tokens
// or stanza payloads, only addresses, conditions and counts.

import pino from 'pino';

export type Logger = pino.Logger;

// Logs go to stderr: stdout carries the CLI's own output (the `ready` line, tokens, user lists).
const create = (level: string): Logger => pino({ level, base: { service: 'almanac' } }, pino.destination(2));

export let log: Logger = create(process.env.ALMANAC_LOG_LEVEL ?? 'info');

export function configureLogging(level: string): Logger {
  log = create(level);
  return log;
}
