// Logging in many BOSH or WebSocket sessions with a bounded number of logins in flight, the HTTP
// counterpart of load/login-pool.ts. `ready` runs as soon as each session is logged in: a BOSH
// session left without a request while thousands of others log in would hit the server's
// inactivity limit (XEP-0124 section 7.1; ejabberd's default is 30 s).

export interface Loginable {
  login(): Promise<void>;
}

export async function loginSessions<T extends Loginable>(
  make: (slot: number) => T,
  count: number,
  concurrency: number,
  progress?: (done: number) => void,
  ready?: (session: T) => void,
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
        ready?.(session);
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
