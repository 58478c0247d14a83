// `almanac serve --workers N`: one process per core behind the same ports, with node:cluster
// sharing the listening sockets. The workers form one almanac cluster over Redis (docs/CLUSTER.md);
// they are started one after another so that migrations and demo seeding never race, and the primary
// prints the single `ready` line once all of them are serving.

import cluster from 'node:cluster';

export type WorkerMessage = { almanac: 'ready'; ports: Record<string, number> };

/** In a worker: tell the primary the ports instead of printing a ready line. */
export function reportReadyToPrimary(ports: Record<string, number>): boolean {
  if (!cluster.isWorker || !process.send) return false;
  process.send({ almanac: 'ready', ports } satisfies WorkerMessage);
  return true;
}

/** In the primary: fork `count` workers in turn; resolves with the ports once all are ready. */
export async function startWorkers(count: number): Promise<{ ports: Record<string, number>; stop(): Promise<void> }> {
  let ports: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const worker = cluster.fork();
    ports = await new Promise<Record<string, number>>((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if (m?.almanac === 'ready') resolve(m.ports);
      });
      worker.once('exit', (code) => reject(new Error(`worker ${i + 1} exited (${code}) before it was ready`)));
    });
  }
  return {
    ports,
    async stop() {
      const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              w!.once('exit', () => resolve());
              w!.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
