// The web app in headless Chromium (Debian's `chromium`, driven by playwright-core) against a real
// server started in this process: two signed-in users, one edits a shared event, the other's page shows
// it without a reload. One page uses WebSocket; the other has WebSocket refused and falls back to BOSH.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureDebianPackages, hasFile } from '../support/debian-packages.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { RestApi } from '../../web/sdk/rest-api.js';

const CHROMIUM = '/usr/bin/chromium';
const WAIT = { timeout: 15_000 };

/** Local wall time of today at `hh:mm`, in the zone the browser and this process share. */
function todayAt(hh: number, mm: number): { date_time: string; timezone: string } {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return { date_time: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(hh)}:${p(mm)}:00`, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone };
}

describe('web app: live updates between two signed-in users', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: Page;
  let bob: Page;
  let eventId: string;
  const shots = mkdtempSync(join(tmpdir(), 'almanac-e2e-'));

  before(async () => {
    ensureDebianPackages(['chromium'], hasFile(CHROMIUM));
    server = await startTestServer();
    const base = `http://127.0.0.1:${server.ports.http}`;
    for (const user of ['alice', 'bob']) await server.addUser(user, `${user}-password`);
    const api = new RestApi(base);
    await api.signIn('alice', 'alice-password');
    const calendar = await api.createCalendar({ title: 'Team', color: '#3a7bd5' });
    await api.share(calendar.id, 'bob', 'write');
    eventId = (await api.createEvent({ calendar_id: calendar.id, title: 'Planning', start: todayAt(10, 0), end: todayAt(11, 0) })).id;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // playwright-core gives every launch a fresh, temporary user data directory of its own.
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const open = async (blockWebSocket: boolean): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      if (blockWebSocket) await context.routeWebSocket(/xmpp-websocket/, (ws) => ws.close());
      const page = await context.newPage();
      await page.goto(`${base}/`);
      return page;
    };
    [alice, bob] = await Promise.all([open(false), open(true)]);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(page: Page, user: string): Promise<void> {
    await page.fill('#sign-in input[name=username]', user);
    await page.fill('#sign-in input[name=password]', `${user}-password`);
    await page.click('#sign-in button[type=submit]');
  }

  it('both users sign in and go live: alice over WebSocket, bob over BOSH when WebSocket is refused', async () => {
    await Promise.all([signIn(alice, 'alice'), signIn(bob, 'bob')]);
    await alice.waitForSelector('#connection[data-status=live][data-transport=websocket]', WAIT);
    await bob.waitForSelector('#connection[data-status=live][data-transport=bosh]', WAIT);
    assert.equal(await alice.textContent('#connection'), 'Live · WebSocket');
    assert.equal(await bob.textContent('#connection'), 'Live · BOSH');
    for (const page of [alice, bob]) await page.waitForSelector(`.event[data-event-id="${eventId}"][data-title="Planning"]`, WAIT);
  });

  it("bob edits the shared event and alice's page shows it without a reload", async () => {
    // A marker on alice's window survives only if the page is never reloaded.
    await alice.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await bob.click(`.event[data-event-id="${eventId}"]`);
    await bob.fill('#event-dialog input[name=title]', 'Planning (room 4)');
    await bob.fill('#event-dialog input[name=location]', 'Room 4');
    await bob.click('#event-dialog [data-action=save]');
    await alice.waitForSelector(`.event[data-event-id="${eventId}"][data-title="Planning (room 4)"]`, WAIT);
    assert.equal(await alice.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true);
    assert.match((await alice.textContent(`.event[data-event-id="${eventId}"]`)) ?? '', /Room 4/);
    await alice.screenshot({ path: join(shots, 'alice-after-edit.png') });
  });

  it("an event alice creates appears on bob's page, and disappears when she deletes it", async () => {
    await alice.click('#new-event');
    await alice.fill('#event-dialog input[name=title]', 'Retro');
    await alice.selectOption('#event-dialog select[name=calendar]', { label: 'Team' });
    // Today 14:00-15:00, so that it is in the week both pages show whatever the time of the run.
    const today = todayAt(14, 0).date_time.slice(0, 10);
    for (const [name, value] of [['start-date', today], ['start-time', '14:00'], ['end-date', today], ['end-time', '15:00']]) {
      await alice.fill(`#event-dialog input[name=${name}]`, value!);
    }
    await alice.click('#event-dialog [data-action=save]');
    await bob.waitForSelector('.event[data-title="Retro"]', WAIT);
    await alice.click('.event[data-title="Retro"]');
    await alice.click('#event-dialog [data-action=delete]');
    await bob.waitForSelector('.event[data-title="Retro"]', { ...WAIT, state: 'detached' });
  });

  it('a dropped connection shows offline, then live again after the resync, with what changed meanwhile', async () => {
    const states: string[] = [];
    await alice.exposeFunction('recordState', (s: string) => states.push(s));
    await alice.evaluate(() => {
      const badge = document.querySelector('#connection')!;
      new MutationObserver(() => (window as unknown as { recordState(s: string): void }).recordState(badge.getAttribute('data-status')!)).observe(badge, { attributes: true });
    });
    const api = new RestApi(`http://127.0.0.1:${server.ports.http}`);
    await api.signIn('bob', 'bob-password');
    for (const session of server.host.sessions.resourcesOf('alice@localhost')) session.close('system-shutdown');
    await api.updateEvent(eventId, { title: 'Planning (moved while alice was away)' });
    await alice.waitForSelector(`.event[data-event-id="${eventId}"][data-title="Planning (moved while alice was away)"]`, WAIT);
    await alice.waitForSelector('#connection[data-status=live]', WAIT);
    assert.equal(states.includes('offline') || states.includes('connecting'), true, states.join(','));
    await bob.screenshot({ path: join(shots, 'bob-final.png') });
  });
});
