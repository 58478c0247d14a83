// The almanac web app: sign in, a week of the user's calendars (recurrences expanded by the server),
// create / edit / delete events, share calendars, and live updates through the client SDK, which keeps
// an XMPP feed subscription over WebSocket (BOSH as fallback) and resyncs over REST after every
// reconnect. `?transport=bosh` (or `websocket`) pins one transport.

import { AlmanacClient, ApiError } from '/sdk/index.js';
import { stropheLink } from '/sdk/strophe-link.js';
import { Strophe, $iq, $pres } from '/vendor/strophe.esm.js';
import { addDays, weekLabel, weekStart } from './dates.js';
import { renderWeek } from './week-view.js';
import { EventDialog } from './event-dialog.js';
import { NewCalendarDialog, ShareDialog } from './calendar-dialogs.js';

const SESSION_KEY = 'almanac.session';
const $ = (selector) => document.querySelector(selector);
const pinned = new URLSearchParams(location.search).get('transport');
const transports = pinned === 'bosh' || pinned === 'websocket' ? [pinned] : undefined;

const ui = {
  week: weekStart(new Date()),
  instances: [],
  hidden: new Set(),
  flash: new Set(),
  loadSeq: 0,
  reloadTimer: undefined,
};
let client;

const eventDialog = new EventDialog($('#event-dialog'));
const calendarDialog = new NewCalendarDialog($('#calendar-dialog'));
const shareDialog = new ShareDialog($('#share-dialog'));

function toast(message) {
  const item = Object.assign(document.createElement('div'), { className: 'toast', textContent: message });
  $('#toasts').append(item);
  setTimeout(() => item.remove(), 6000);
}

function describe(err) {
  return err instanceof ApiError ? err.message : err instanceof Error ? err.message : String(err);
}

// --- connection state ---

const TRANSPORT_NAMES = { websocket: 'WebSocket', bosh: 'BOSH' };

function renderState(state) {
  const badge = $('#connection');
  const via = TRANSPORT_NAMES[state.transport] ?? '';
  const text = {
    connecting: `Connecting${via ? ` (${via})` : ''}…`,
    resyncing: 'Resyncing…',
    live: `Live · ${via}`,
    offline: `Offline${state.retryInMs ? ` · retrying in ${Math.ceil(state.retryInMs / 1000)} s` : ''}`,
  }[state.status];
  badge.textContent = text;
  badge.dataset.status = state.status;
  badge.dataset.transport = state.transport ?? '';
  badge.title = state.error ?? '';
  if (state.status === 'offline' && state.error?.startsWith('signed out')) showSignIn('Your session has ended; please sign in again.');
}

// --- calendars and the week ---

function calendarsById() {
  return new Map(client.calendars().map((c) => [c.id, c]));
}

function renderCalendars() {
  const list = $('#calendars');
  const calendars = client.calendars().sort((a, b) => (b.permission === 'owner') - (a.permission === 'owner') || a.title.localeCompare(b.title));
  list.replaceChildren(
    ...calendars.map((c) => {
      const li = document.createElement('li');
      li.dataset.calendarId = c.id;
      const toggle = Object.assign(document.createElement('input'), { type: 'checkbox', checked: !ui.hidden.has(c.id) });
      toggle.style.setProperty('--calendar-color', c.color ?? '#3a7bd5');
      toggle.addEventListener('change', () => {
        if (toggle.checked) ui.hidden.delete(c.id);
        else ui.hidden.add(c.id);
        render();
      });
      const label = document.createElement('label');
      label.append(toggle, Object.assign(document.createElement('span'), { className: 'calendar-title', textContent: c.title }));
      li.append(label);
      if (c.permission === 'owner') {
        const share = Object.assign(document.createElement('button'), { type: 'button', className: 'link share', textContent: c.shares.length ? `Shared (${c.shares.length})` : 'Share' });
        share.addEventListener('click', () => openShare(c.id));
        li.append(share);
      } else {
        li.append(Object.assign(document.createElement('span'), { className: 'muted owner', textContent: `${c.owner} · ${c.permission === 'write' ? 'can edit' : 'view only'}` }));
      }
      return li;
    }),
  );
  shareDialog.refresh();
}

function render() {
  $('#week-label').textContent = weekLabel(ui.week);
  const calendars = calendarsById();
  renderWeek($('#week'), {
    start: ui.week,
    instances: ui.instances.filter((i) => !ui.hidden.has(i.calendar_id)),
    calendars,
    flash: ui.flash,
    handlers: { select: openInstance, createAt: (date, allDay) => openNew(date, allDay) },
  });
}

async function loadWeek() {
  const seq = ++ui.loadSeq;
  try {
    const instances = await client.instances(ui.week, addDays(ui.week, 7));
    if (seq !== ui.loadSeq) return;
    ui.instances = instances;
    render();
  } catch (err) {
    if (seq === ui.loadSeq) toast(`Could not load the week: ${describe(err)}`);
  }
}

/** Several changes in a burst (a share touches every event) cost one reload. */
function scheduleReload() {
  clearTimeout(ui.reloadTimer);
  ui.reloadTimer = setTimeout(loadWeek, 120);
}

function onChange(change) {
  if (change.resource === 'calendar') renderCalendars();
  if (change.resource === 'event_subscription') return;
  if (change.resource === 'event' && change.source === 'feed') {
    ui.flash.add(change.id);
    setTimeout(() => {
      ui.flash.delete(change.id);
      document.querySelectorAll(`[data-event-id="${CSS.escape(change.id)}"]`).forEach((e) => e.classList.remove('flash'));
    }, 2500);
  }
  scheduleReload();
}

// --- dialogs ---

function writableCalendars() {
  return client.calendars().filter((c) => c.permission !== 'read');
}

function openNew(date, allDay) {
  const calendars = writableCalendars();
  if (calendars.length === 0) return toast('You have no calendar you can add events to; create one first.');
  eventDialog.open({
    calendars,
    start: date,
    allDay,
    actions: { save: (body) => client.createEvent(body) },
  });
}

async function openInstance(instance) {
  let event = client.sync.cache.events.get(instance.id);
  try {
    event ??= await client.rest.getEvent(instance.id);
  } catch (err) {
    return toast(describe(err));
  }
  eventDialog.open({
    calendars: client.calendars(),
    event,
    instance,
    actions: {
      save: (patch) => client.updateEvent(event.id, patch),
      remove: () => client.deleteEvent(event.id),
      removeOccurrence: () => client.updateEvent(event.id, { exdates: [...event.exdates, instance.recurrence_id] }),
    },
  });
}

function openShare(calendarId) {
  shareDialog.open({
    current: () => client.calendars().find((c) => c.id === calendarId),
    share: (user, permission) => client.share(calendarId, user, permission),
    unshare: (user) => client.unshare(calendarId, user),
  });
}

// --- session ---

function newClient(token) {
  const c = new AlmanacClient({ link: stropheLink({ Strophe, $iq, $pres }), token, transports });
  c.on('state', renderState);
  c.on('change', onChange);
  c.on('synced', () => {
    renderCalendars();
    scheduleReload();
  });
  c.on('error', (err) => console.warn('almanac:', err));
  return c;
}

function showSignIn(message = '') {
  client?.disconnect();
  client = undefined;
  sessionStorage.removeItem(SESSION_KEY);
  for (const e of document.querySelectorAll('[data-signed-in]')) e.hidden = true;
  $('#calendar-view').hidden = true;
  $('#sign-in-view').hidden = false;
  $('#sign-in .form-error').textContent = message;
}

function start(username) {
  $('#sign-in-view').hidden = true;
  $('#calendar-view').hidden = false;
  for (const e of document.querySelectorAll('[data-signed-in]')) e.hidden = false;
  $('#who').textContent = username;
  renderState(client.state);
  render();
  client.connect().catch(() => undefined);
  loadWeek();
}

$('#sign-in').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  const username = form.elements.namedItem('username').value.trim();
  const password = form.elements.namedItem('password').value;
  const error = form.querySelector('.form-error');
  error.textContent = '';
  client = newClient();
  try {
    const token = await client.signIn(username, password);
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token, username: client.username }));
    form.reset();
    start(client.username);
  } catch (err) {
    client = undefined;
    error.textContent = err instanceof ApiError && err.status === 401 ? 'Wrong username or password.' : describe(err);
  }
});

$('#sign-out').addEventListener('click', async () => {
  const c = client;
  showSignIn();
  await c?.signOut();
});

$('#today').addEventListener('click', () => {
  ui.week = weekStart(new Date());
  render();
  loadWeek();
});
for (const [id, days] of [['#prev-week', -7], ['#next-week', 7]]) {
  $(id).addEventListener('click', () => {
    ui.week = addDays(ui.week, days);
    render();
    loadWeek();
  });
}

$('#new-event').addEventListener('click', () => {
  const now = new Date();
  const inWeek = now >= ui.week && now < addDays(ui.week, 7);
  const base = inWeek ? now : ui.week;
  const start = new Date(base.getFullYear(), base.getMonth(), base.getDate(), inWeek ? now.getHours() + 1 : 9);
  openNew(start, false);
});

$('#new-calendar').addEventListener('click', () => calendarDialog.open((input) => client.createCalendar(input)));

const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
if (saved?.token) {
  client = newClient(saved.token);
  client.username = saved.username;
  start(saved.username);
}
