// Logging in many BOSH or WebSocket sessions with a bounded number of logins in flight, the HTTP
// counterpart of load/login-pool.ts.

export interface Loginable {
  login(): Promise<void>;
}

export async function loginSessions<T extends Loginable>(
  make: (slot: number) => T,
  count: number,
  concurrency: number,
  progress?: (done: number) => void,
): Promise<{ sessions: T[]; failures: string[]; seconds: number }> {
  const sessions: T[] = [];
  const failures: string[] = [];
  const started = performance.now();
  let next = 0;
  let last = started;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const session = make(next++);
      try {
        await session.login();
        sessions.push(session);
      } catch (err) {
        failures.push((err as Error).message);
        if (failures.length >= 20) next = count;
      }
      if (progress && performance.now() - last > 1000) {
        last = performance.now();
        progress(sessions.length);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { sessions, failures, seconds: (performance.now() - started) / 1000 };
}
