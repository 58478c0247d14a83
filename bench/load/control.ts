// The line protocol between a load-generator process and the orchestrator that started it. The
// generator announces checkpoints ("all 1,000 connections are up") on stdout as JSON lines and waits
// for "go" on stdin, so the orchestrator can read the server's CPU time and RSS at that exact moment.
// Run by hand (not controlled), checkpoints pass straight through.

import { createInterface } from 'node:readline';

export interface CheckpointMessage {
  type: 'checkpoint';
  name: string;
  /** Generator CPU seconds (user + system) so far. */
  cpu: number;
  /** performance.now() / 1000 in the generator. */
  at: number;
}

export class Control {
  private waiting: (() => void)[] = [];

  constructor(private readonly controlled: boolean) {
    if (controlled) {
      const lines = createInterface({ input: process.stdin });
      lines.on('line', () => this.waiting.shift()?.());
    }
  }

  /** Lets the orchestrator sample the server now; resolves once it has. */
  checkpoint(name: string): Promise<void> {
    const usage = process.cpuUsage();
    const message: CheckpointMessage = { type: 'checkpoint', name, cpu: (usage.user + usage.system) / 1e6, at: performance.now() / 1000 };
    if (!this.controlled) {
      this.log(`checkpoint ${name}`);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      process.stdout.write(JSON.stringify(message) + '\n');
    });
  }

  log(message: string): void {
    process.stderr.write(`  [generator] ${message}\n`);
  }

  result(data: unknown): void {
    process.stdout.write(JSON.stringify({ type: 'result', data }) + '\n');
  }
}
