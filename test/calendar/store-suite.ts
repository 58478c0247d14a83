// The contract every CalendarStore implementation passes (storage/calendar-store.ts): one global, strictly
// increasing sync token per committed write, permission checks inside the write, nothing written by a
// failed write, per-user change entries, and sync lists with tombstones. Run it with a factory:
//   calendarStoreSuite('sqlite', async () => ({ store, close }))

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { CalendarStore, Committed, WriteContext } from '../../src/storage/calendar-store.js';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../src/calendar/model/errors.js';
import { parseEventCreate } from '../../src/calendar/model/event-input.js';
import { parseCalendarCreate } from '../../src/calendar/model/calendar-input.js';
import { isTombstone, type EventData, type Tombstone } from '../../src/calendar/model/types.js';

export interface OpenedStore {
  store: CalendarStore;
  close(): Promise<void>;
}

const NOW = new Date('2026-11-24T10:15:00Z');
const as = (actor: string): WriteContext => ({ actor, now: NOW });

function eventData(title: string, extra: Record<string, unknown> = {}): EventData {
  return parseEventCreate({ calendar_id: 'x', title, start: { date_time: '2026-03-16T09:00:00', timezone: 'Europe/Paris' }, ...extra }).data;
}

/** `resource:action:user` for each user in each change, sorted, to compare audiences. */
function audience(committed: Committed<unknown>): string[] {
  return committed.changes.flatMap((c) => [...c.audience.keys()].map((u) => `${c.resource}:${c.action}:${u}`)).sort();
}

function ids(items: Array<object>): string[] {
  return items.map((i) => (isTombstone(i) ? `-${i.id}` : 'event' in i ? (i as { event: { id: string } }).event.id : (i as { calendar?: { calendar: { id: string } }; id?: string }).calendar?.calendar.id ?? (i as { id: string }).id));
}

async function rejects(p: Promise<unknown>, type: new (...args: never[]) => Error, field?: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof type && (field === undefined || (err as unknown as { field: string }).field === field));
}

export function calendarStoreSuite(name: string, open: () => Promise<OpenedStore>): void {
  describe(`CalendarStore contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: CalendarStore;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.close();
    });

    const newCalendar = async (owner: string, title = 'Work') =>
      (await store.createCalendar(as(owner), parseCalendarCreate({ title, timezone: 'Europe/Paris' }))).value.calendar.calendar.id;
    const newEvent = async (actor: string, calendarId: string, title = 'Standup', extra: Record<string, unknown> = {}) =>
      (await store.createEvent(as(actor), calendarId, eventData(title, extra))).value.event.id;

    it('every committed write takes the next token of one global sequence', async () => {
      assert.equal(await store.currentSyncToken(), 0);
      const a = await store.createCalendar(as('alice'), parseCalendarCreate({ title: 'A' }));
      const b = await store.createCalendar(as('bob'), parseCalendarCreate({ title: 'B' }));
      const e = await store.createEvent(as('alice'), a.value.calendar.calendar.id, eventData('E'));
      assert.deepEqual([a.syncToken, b.syncToken, e.syncToken], [1, 2, 3]);
      assert.equal(await store.currentSyncToken(), 3);
      assert.equal(e.value.event.syncToken, 3);
      assert.equal(e.modified, '2026-11-24T10:15:00Z');
    });

    it('a write that fails a check leaves no token, row or change behind', async () => {
      const cal = await newCalendar('alice');
      const before = await store.currentSyncToken();
      await rejects(store.createEvent(as('bob'), cal, eventData('E')), ForbiddenError);
      await rejects(
        store.updateCalendar(as('alice'), cal, () => {
          throw new ValidationError('title', 'no');
        }, {}),
        ValidationError,
        'title',
      );
      assert.equal(await store.currentSyncToken(), before);
      const list = await store.listCalendars('alice', { syncToken: before, limit: 10, offset: 0 });
      assert.deepEqual(list.items, []);
    });

    it('unknown ids are NotFound; existing ones without access are Forbidden', async () => {
      const cal = await newCalendar('alice');
      const ev = await newEvent('alice', cal);
      await rejects(store.getCalendar('alice', 'nope'), NotFoundError);
      await rejects(store.getCalendar('bob', cal), ForbiddenError);
      await rejects(store.getEvent('alice', 'nope'), NotFoundError);
      await rejects(store.getEvent('bob', ev), ForbiddenError);
      await rejects(store.deleteEvent(as('bob'), ev, {}), ForbiddenError);
    });

    it('only the owner changes or deletes a calendar and manages its shares', async () => {
      const cal = await newCalendar('alice');
      await store.putShare(as('alice'), cal, 'bob', 'write');
      await rejects(store.updateCalendar(as('bob'), cal, (c) => c, {}), ForbiddenError);
      await rejects(store.deleteCalendar(as('bob'), cal, {}), ForbiddenError);
      await rejects(store.putShare(as('bob'), cal, 'carol', 'read'), ForbiddenError);
      await rejects(store.putShare(as('alice'), cal, 'alice', 'read'), ValidationError, 'user');
    });

    it('a stale etag is PreconditionFailed and a stale sequence a Conflict', async () => {
      const cal = await newCalendar('alice');
      const created = await store.createEvent(as('alice'), cal, eventData('E'));
      const ev = created.value.event.id;
      await store.updateEvent(as('alice'), ev, (e) => ({ ...e, title: 'E2' }), { etags: [`"${created.syncToken}"`] });
      await rejects(store.updateEvent(as('alice'), ev, (e) => e, { etags: [`"${created.syncToken}"`] }), PreconditionFailedError);
      await rejects(store.updateEvent(as('alice'), ev, (e) => e, { sequence: 0 }), ConflictError, 'sequence');
      await rejects(store.deleteEvent(as('alice'), ev, { etags: ['"1"'] }), PreconditionFailedError);
      const ok = await store.updateEvent(as('alice'), ev, (e) => ({ ...e, title: 'E3' }), { sequence: 1, etags: ['*'] });
      assert.equal(ok.value.event.sequence, 2);
    });

    it('a uid is unique within a calendar', async () => {
      const cal = await newCalendar('alice');
      await newEvent('alice', cal, 'A', { uid: 'same' });
      await rejects(store.createEvent(as('alice'), cal, eventData('B', { uid: 'same' })), ConflictError, 'uid');
      await newEvent('alice', await newCalendar('alice', 'Other'), 'C', { uid: 'same' });
    });

    it('sharing a calendar subscribes the sharee to its events and tells each user what they now see', async () => {
      const cal = await newCalendar('alice');
      await store.putShare(as('alice'), cal, 'carol', 'read');
      const ev = await newEvent('alice', cal);
      const shared = await store.putShare(as('alice'), cal, 'bob', 'read');
      assert.equal(shared.value.created, true);
      assert.deepEqual(audience(shared), [
        'calendar:created:bob',
        'calendar:updated:alice',
        'calendar:updated:carol',
        'event:created:bob',
        'event_subscription:created:bob',
      ]);
      const seen = await store.getEvent('bob', ev);
      assert.equal(seen.access.level, 'read');
      assert.equal(seen.access.subscription.sharePermission, 'read');
      assert.equal(shared.changes.every((c) => c.sharedCalendar), true);
    });

    it('a read share cannot write; a write share can', async () => {
      const cal = await newCalendar('alice');
      const ev = await newEvent('alice', cal);
      await store.putShare(as('alice'), cal, 'bob', 'read');
      await rejects(store.updateEvent(as('bob'), ev, (e) => e, {}), ForbiddenError);
      await rejects(store.createEvent(as('bob'), cal, eventData('B')), ForbiddenError);
      const upgraded = await store.putShare(as('alice'), cal, 'bob', 'write');
      assert.equal(upgraded.value.created, false);
      const created = await store.createEvent(as('bob'), cal, eventData('B'));
      assert.deepEqual(audience(created), ['event:created:alice', 'event:created:bob', 'event_subscription:created:alice', 'event_subscription:created:bob']);
      await store.updateEvent(as('bob'), ev, (e) => ({ ...e, title: 'by bob' }), {});
    });

    it('an event change reaches every subscriber, and only them', async () => {
      const cal = await newCalendar('alice');
      const ev = await newEvent('alice', cal);
      await newCalendar('dave');
      await store.putShare(as('alice'), cal, 'bob', 'read');
      const updated = await store.updateEvent(as('alice'), ev, (e) => ({ ...e, title: 'New' }), {});
      assert.deepEqual(audience(updated), ['event:updated:alice', 'event:updated:bob']);
      const bobView = updated.changes[0]!.resource === 'event' ? updated.changes[0]!.audience.get('bob') : undefined;
      assert.equal(bobView?.level, 'read');
      const deleted = await store.deleteEvent(as('alice'), ev, {});
      assert.deepEqual(audience(deleted), ['event:deleted:alice', 'event:deleted:bob', 'event_subscription:deleted:alice', 'event_subscription:deleted:bob']);
      assert.equal([...deleted.changes[0]!.audience.values()].every((v) => v === null), true);
    });

    it('a sync list returns only what changed after the token, deletions as tombstones', async () => {
      const cal = await newCalendar('alice');
      const keep = await newEvent('alice', cal, 'keep');
      const change = await newEvent('alice', cal, 'change');
      const drop = await newEvent('alice', cal, 'drop');
      const t = await store.currentSyncToken();
      await store.updateEvent(as('alice'), change, (e) => ({ ...e, title: 'changed' }), {});
      await store.deleteEvent(as('alice'), drop, {});
      const later = await newEvent('alice', cal, 'later');
      const list = await store.listEvents('alice', { syncToken: t, limit: 100, offset: 0 });
      assert.deepEqual(ids(list.items), [change, `-${drop}`, later]);
      assert.equal(list.syncToken, await store.currentSyncToken());
      const none = await store.listEvents('alice', { syncToken: list.syncToken, limit: 100, offset: 0 });
      assert.deepEqual(none.items, []);
      const full = await store.listEvents('alice', { limit: 100, offset: 0 });
      assert.deepEqual(ids(full.items).sort(), [keep, change, later].sort());
    });

    it('losing access is a tombstone in the sync list of the user who lost it', async () => {
      const cal = await newCalendar('alice');
      const ev = await newEvent('alice', cal);
      await store.putShare(as('alice'), cal, 'bob', 'read');
      const t = await store.currentSyncToken();
      const revoked = await store.deleteShare(as('alice'), cal, 'bob');
      assert.deepEqual(audience(revoked), ['calendar:deleted:bob', 'calendar:updated:alice', 'event:deleted:bob', 'event_subscription:deleted:bob']);
      assert.deepEqual(ids((await store.listEvents('bob', { syncToken: t, limit: 10, offset: 0 })).items), [`-${ev}`]);
      assert.deepEqual(ids((await store.listCalendars('bob', { syncToken: t, limit: 10, offset: 0 })).items), [`-${cal}`]);
      await rejects(store.getEvent('bob', ev), ForbiddenError);
    });

    it('a sharee may leave a calendar but not remove others', async () => {
      const cal = await newCalendar('alice');
      await store.putShare(as('alice'), cal, 'bob', 'read');
      await store.putShare(as('alice'), cal, 'carol', 'read');
      await rejects(store.deleteShare(as('bob'), cal, 'carol'), ForbiddenError);
      await store.deleteShare(as('bob'), cal, 'bob');
      await rejects(store.deleteShare(as('alice'), cal, 'bob'), NotFoundError);
      assert.deepEqual((await store.listShares('alice', cal)).map((s) => s.username), ['carol']);
    });

    it('deleting a calendar deletes its events for everyone who saw them', async () => {
      const cal = await newCalendar('alice');
      const ev = await newEvent('alice', cal);
      await store.putShare(as('alice'), cal, 'bob', 'write');
      const t = await store.currentSyncToken();
      const deleted = await store.deleteCalendar(as('alice'), cal, {});
      assert.deepEqual(
        audience(deleted).filter((a) => !a.startsWith('event_subscription')),
        ['calendar:deleted:alice', 'calendar:deleted:bob', 'event:deleted:alice', 'event:deleted:bob'],
      );
      for (const user of ['alice', 'bob']) {
        assert.deepEqual(ids((await store.listEvents(user, { syncToken: t, limit: 10, offset: 0 })).items), [`-${ev}`]);
      }
      await rejects(store.getCalendar('alice', cal), NotFoundError);
    });

    it('an invitation subscribes one user to one event; the invitee answers, the organiser sees it', async () => {
      const cal = await newCalendar('alice');
      const ev = await newEvent('alice', cal);
      const invited = await store.inviteToEvent(as('alice'), ev, 'bob', 'read');
      assert.deepEqual(audience(invited), ['event:created:bob', 'event_subscription:created:alice', 'event_subscription:created:bob']);
      const sub = invited.value;
      assert.equal(sub.rsvp, 'not_replied');
      await rejects(store.inviteToEvent(as('alice'), ev, 'bob', 'read'), ConflictError, 'user');
      await rejects(store.inviteToEvent(as('bob'), ev, 'carol', 'read'), ForbiddenError);
      await rejects(store.updateSubscription(as('alice'), sub.id, { rsvp: 'attending' }, {}), ForbiddenError);
      const answered = await store.updateSubscription(as('bob'), sub.id, { rsvp: 'attending' }, {});
      assert.deepEqual(audience(answered), ['event:updated:bob', 'event_subscription:updated:alice', 'event_subscription:updated:bob']);
      assert.equal((await store.getSubscription('alice', sub.id)).rsvp, 'attending');
      await rejects(store.getSubscription('carol', sub.id), ForbiddenError);
      await rejects(store.getCalendar('bob', cal), ForbiddenError);
      const mine = await store.listSubscriptions('alice', { eventIds: [ev], limit: 10, offset: 0 });
      assert.equal(mine.items.length, 2);
    });

    it('a write invitation lets the invitee edit the event and see the other invitations', async () => {
      const cal = await newCalendar('alice');
      const ev = await newEvent('alice', cal);
      const bob = (await store.inviteToEvent(as('alice'), ev, 'bob', 'read')).value;
      const carol = (await store.inviteToEvent(as('alice'), ev, 'carol', 'read')).value;
      await rejects(store.updateEvent(as('bob'), ev, (e) => e, {}), ForbiddenError);
      await rejects(store.updateSubscription(as('bob'), bob.id, { permission: 'write' }, {}), ForbiddenError);
      const promoted = await store.updateSubscription(as('alice'), bob.id, { permission: 'write' }, {});
      assert.ok(audience(promoted).includes(`event_subscription:created:bob`), 'bob now sees carol\'s invitation');
      await store.getSubscription('bob', carol.id);
      await store.updateEvent(as('bob'), ev, (e) => ({ ...e, title: 'edited by bob' }), {});
    });

    it('withdrawing an invitation is a deletion for the invitee; a share-based subscription cannot be withdrawn', async () => {
      const cal = await newCalendar('alice');
      const ev = await newEvent('alice', cal);
      const sub = (await store.inviteToEvent(as('alice'), ev, 'bob', 'read')).value;
      const withdrawn = await store.deleteSubscription(as('bob'), sub.id, {});
      assert.deepEqual(audience(withdrawn), ['event:deleted:bob', 'event_subscription:deleted:alice', 'event_subscription:deleted:bob']);
      await rejects(store.getSubscription('bob', sub.id), NotFoundError);
      const own = (await store.getEvent('alice', ev)).access.subscription;
      await rejects(store.deleteSubscription(as('alice'), own.id, {}), ConflictError, 'source');
    });

    it('an import creates and updates by uid in one transaction', async () => {
      const cal = await newCalendar('alice');
      const existing = await newEvent('alice', cal, 'Old', { uid: 'u1' });
      const imported = await store.importEvents(as('alice'), cal, [eventData('New title', { uid: 'u1' }), eventData('Fresh', { uid: 'u2' })]);
      assert.deepEqual(imported.value.updated, [existing]);
      assert.equal(imported.value.created.length, 1);
      const e = await store.getEvent('alice', existing);
      assert.deepEqual([e.event.title, e.event.sequence, e.event.syncToken], ['New title', 1, imported.syncToken]);
      await store.putShare(as('alice'), cal, 'bob', 'read');
      await rejects(store.importEvents(as('bob'), cal, [eventData('x')]), ForbiddenError);
    });

    it('sync paging stays stable while changes keep arriving', async () => {
      const cal = await newCalendar('alice');
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push(await newEvent('alice', cal, `e${i}`));
      const first = await store.listEvents('alice', { syncToken: 0, limit: 2, offset: 0 });
      assert.equal(first.hasMore, true);
      // An event already paged changes again: it must not shift the remaining pages.
      await store.updateEvent(as('alice'), made[0]!, (e) => ({ ...e, title: 'again' }), {});
      const rest = [];
      for (let offset = 2; ; offset += 2) {
        const page = await store.listEvents('alice', { syncToken: 0, limit: 2, offset });
        rest.push(...ids(page.items));
        if (!page.hasMore) break;
      }
      assert.deepEqual([...ids(first.items), ...rest], made);
    });

    it('filters events by calendar and by range, and refuses a token from the future', async () => {
      const work = await newCalendar('alice', 'Work');
      const home = await newCalendar('alice', 'Home');
      const w = await newEvent('alice', work, 'w');
      const h = await newEvent('alice', home, 'h', { start: { date_time: '2027-01-01T09:00:00', timezone: 'UTC' } });
      assert.deepEqual(ids((await store.listEvents('alice', { calendarIds: [home], limit: 10, offset: 0 })).items), [h]);
      const range = { fromUtc: Date.parse('2026-12-01T00:00:00Z'), toUtc: Date.parse('2027-02-01T00:00:00Z') };
      assert.deepEqual(ids((await store.listEvents('alice', { range, limit: 10, offset: 0 })).items), [h]);
      const all = await store.listEvents('alice', { filter: (v) => v.event.title === 'w', limit: 10, offset: 0 });
      assert.deepEqual(ids(all.items), [w]);
      await rejects(store.listEvents('alice', { syncToken: 999, limit: 10, offset: 0 }), ValidationError, 'sync_token');
    });

    it('lists calendars owned and shared, each with the viewer\'s level', async () => {
      const own = await newCalendar('bob', 'Mine');
      const shared = await newCalendar('alice', 'Shared');
      await newCalendar('alice', 'Private');
      await store.putShare(as('alice'), shared, 'bob', 'write');
      const list = await store.listCalendars('bob', { limit: 10, offset: 0 });
      const levels = list.items.map((i) => (isTombstone(i) ? 'tombstone' : `${i.calendar.calendar.id === own ? 'own' : 'shared'}:${i.level}`));
      assert.deepEqual(levels, ['own:owner', 'shared:write']);
    });

    it('tombstones carry only id and deleted', async () => {
      const cal = await newCalendar('alice');
      const ev = await newEvent('alice', cal);
      await store.deleteEvent(as('alice'), ev, {});
      const [item] = (await store.listEvents('alice', { syncToken: 0, limit: 10, offset: 0 })).items as Tombstone[];
      assert.deepEqual(item, { id: ev, deleted: true });
    });
  });
}
