// The runs `npm run bench -- all` makes, in order, and which figures of each go into the tables.
// Options are the scenarios' own (see bench/scenarios/*.ts); the defaults are the issues' scenarios.

import type { OptionValue } from '../scenarios/scenario.js';

export interface SuiteEntry {
  /** Label in the report; unique. */
  label: string;
  scenario: string;
  options: Record<string, OptionValue>;
}

export const SUITE: SuiteEntry[] = [
  { label: 'logins', scenario: 'logins', options: {} },
  { label: 'idle-memory', scenario: 'idle-memory', options: {} },
  { label: 'pubsub-fanout', scenario: 'pubsub-fanout', options: {} },
  { label: 'pubsub-fanout-1k', scenario: 'pubsub-fanout', options: { subscribers: 1000, items: 100 } },
  { label: 'pubsub-10k', scenario: 'pubsub-10k', options: {} },
  { label: 'bosh-pingpong', scenario: 'bosh-pingpong', options: {} },
  { label: 'bosh-sessions', scenario: 'bosh-sessions', options: {} },
  { label: 'websocket-roundtrip', scenario: 'websocket-roundtrip', options: {} },
];

/** Accounts every server needs for the whole suite: pubsub-10k uses a publisher and 10,000 subscribers. */
export const SUITE_USERS = 10_001;

export interface Figure {
  metric: string;
  label: string;
  better: 'higher' | 'lower';
}

/** The figures shown per scenario; the JSON results keep everything else. */
export const FIGURES: Record<string, Figure[]> = {
  logins: [
    { metric: 'logins_per_s', label: 'logins/s (20 in parallel, PLAIN, hashed storage)', better: 'higher' },
    { metric: 'logins_per_server_cpu_s', label: 'logins per server CPU-second', better: 'higher' },
  ],
  'idle-memory': [
    { metric: 'kib_per_connection_1000', label: 'server RSS per idle connection, 1,000 held (KiB)', better: 'lower' },
    { metric: 'kib_per_connection_10000', label: 'server RSS per idle connection, 10,000 held (KiB)', better: 'lower' },
  ],
  'pubsub-fanout': [
    { metric: 'burst_per_s', label: '200 subscribers x 500 items, window 32: notifications/s', better: 'higher' },
    { metric: 'burst_per_server_cpu_s', label: 'same, notifications per server CPU-second', better: 'higher' },
    { metric: 'burst_p50_ms', label: 'same, publish-to-delivery p50 (ms)', better: 'lower' },
    { metric: 'burst_p99_ms', label: 'same, publish-to-delivery p99 (ms)', better: 'lower' },
    { metric: 'paced_p50_ms', label: 'paced at 4,000 notifications/s: p50 (ms)', better: 'lower' },
    { metric: 'paced_p99_ms', label: 'paced at 4,000 notifications/s: p99 (ms)', better: 'lower' },
  ],
  'pubsub-fanout-1k': [
    { metric: 'burst_per_s', label: '1,000 subscribers x 100 items, window 32: notifications/s', better: 'higher' },
    { metric: 'burst_per_server_cpu_s', label: 'same, notifications per server CPU-second', better: 'higher' },
    { metric: 'burst_p50_ms', label: 'same, p50 (ms)', better: 'lower' },
    { metric: 'burst_p99_ms', label: 'same, p99 (ms)', better: 'lower' },
    { metric: 'paced_p99_ms', label: 'paced at 4,000 notifications/s: p99 (ms)', better: 'lower' },
  ],
  'pubsub-10k': [
    { metric: 'worst_last_ms', label: '10,000 subscribers, one publish: last notification after (ms, worst of 3)', better: 'lower' },
    { metric: 'p50_ms', label: 'same, p50 of all deliveries (ms)', better: 'lower' },
  ],
  'bosh-pingpong': [
    { metric: 'load_per_s', label: '100 BOSH sessions ping-pong: messages/s', better: 'higher' },
    { metric: 'load_per_server_cpu_s', label: 'same, messages per server CPU-second', better: 'higher' },
    { metric: 'load_round_trip_p50_ms', label: 'same, round trip p50 (ms)', better: 'lower' },
    { metric: 'load_round_trip_p99_ms', label: 'same, round trip p99 (ms)', better: 'lower' },
    { metric: 'load_stalled_sessions', label: 'same, sessions left without an answer', better: 'lower' },
    { metric: 'light_one_way_p50_ms', label: 'one pair alone: one-way p50 (ms)', better: 'lower' },
    { metric: 'light_one_way_p99_ms', label: 'one pair alone: one-way p99 (ms)', better: 'lower' },
  ],
  'bosh-sessions': [
    { metric: 'sessions', label: 'BOSH sessions held', better: 'higher' },
    { metric: 'kib_per_session', label: 'server RSS per BOSH session (KiB)', better: 'lower' },
    { metric: 'answering', label: 'sessions answering a ping afterwards', better: 'higher' },
  ],
  'websocket-roundtrip': [
    { metric: 'load_per_s', label: '100 WebSocket sessions ping-pong: messages/s', better: 'higher' },
    { metric: 'load_per_server_cpu_s', label: 'same, messages per server CPU-second', better: 'higher' },
    { metric: 'load_round_trip_p50_ms', label: 'same, round trip p50 (ms)', better: 'lower' },
    { metric: 'load_round_trip_p99_ms', label: 'same, round trip p99 (ms)', better: 'lower' },
    { metric: 'light_round_trip_p50_ms', label: 'one pair alone: round trip p50 (ms)', better: 'lower' },
    { metric: 'light_round_trip_p99_ms', label: 'one pair alone: round trip p99 (ms)', better: 'lower' },
  ],
};
