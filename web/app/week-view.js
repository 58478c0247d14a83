// The week grid: seven local days from Monday, an all-day row, and timed instances placed by their UTC
// start and end in the browser's zone. Instances that overlap share their day's width side by side.
// Rendering is a pure function of its input, so a live change simply renders the week again.

import { addDays, dayHeading, hourLabel, instanceSpan, isoDate, sameDay, timeLabel, DAY_MS } from './dates.js';

const HOUR_PX = 48;
const FALLBACK_COLOR = '#3a7bd5';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'style') for (const [prop, value] of Object.entries(v)) node.style.setProperty(prop.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), value);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== undefined && c !== null) node.append(c);
  return node;
}

/**
 * Places the timed spans ({start, end} Dates) of one local day: `top` and `height` in pixels, and
 * `column` of `columns` so that spans that overlap share the width. Spans crossing midnight are clipped.
 */
export function layoutDay(day, timed) {
  const dayStart = day.getTime();
  const dayEnd = addDays(day, 1).getTime();
  const boxes = timed
    .filter((t) => t.start < dayEnd && (t.end > dayStart || (t.end.getTime() === t.start.getTime() && t.start >= dayStart)))
    .map((t) => ({ ...t, from: Math.max(t.start.getTime(), dayStart), to: Math.min(Math.max(t.end.getTime(), t.start.getTime() + 15 * 60_000), dayEnd) }))
    .sort((a, b) => a.from - b.from || b.to - a.to);
  let cluster = [];
  let clusterEnd = -Infinity;
  const finish = () => {
    const columns = Math.max(...cluster.map((b) => b.column + 1));
    for (const b of cluster) b.columns = columns;
  };
  for (const box of boxes) {
    if (box.from >= clusterEnd && cluster.length > 0) {
      finish();
      cluster = [];
    }
    const used = new Set(cluster.filter((b) => b.to > box.from).map((b) => b.column));
    let column = 0;
    while (used.has(column)) column++;
    box.column = column;
    cluster.push(box);
    clusterEnd = Math.max(clusterEnd, box.to);
  }
  if (cluster.length > 0) finish();
  return boxes.map((b) => ({ ...b, top: ((b.from - dayStart) / 3_600_000) * HOUR_PX, height: ((b.to - b.from) / 3_600_000) * HOUR_PX }));
}

function colorOf(instance, calendars) {
  return instance.color ?? calendars.get(instance.calendar_id)?.color ?? FALLBACK_COLOR;
}

function eventButton(instance, calendars, handlers, flash, extra, short = false) {
  const { start, end, allDay } = instanceSpan(instance);
  const calendar = calendars.get(instance.calendar_id);
  const when = allDay ? 'all day' : `${timeLabel(start)} – ${timeLabel(end)}`;
  return el(
    'button',
    {
      type: 'button',
      class: `event${allDay ? ' all-day' : ''}${short ? ' short' : ''}${flash.has(instance.id) ? ' flash' : ''}${instance.recurrence_id ? ' recurring' : ''}`,
      'data-event-id': instance.id,
      'data-title': instance.title,
      title: `${instance.title}\n${when}${instance.location ? `\n${instance.location}` : ''}${calendar ? `\n${calendar.title}` : ''}`,
      style: { '--event-color': colorOf(instance, calendars), ...extra },
      onclick: (e) => {
        e.stopPropagation();
        handlers.select(instance);
      },
    },
    el('span', { class: 'event-title' }, instance.recurrence_id ? '↻ ' : '', instance.title),
    allDay ? null : el('span', { class: 'event-time' }, short ? timeLabel(start) : when),
    instance.location && !allDay ? el('span', { class: 'event-location' }, instance.location) : null,
  );
}

/**
 * Renders the week starting at `start` (a local Monday) into `root`.
 * handlers: select(instance), createAt(date, allDay).
 */
export function renderWeek(root, { start, instances, calendars, handlers, flash = new Set(), now = new Date() }) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
  const spans = instances.map((i) => ({ instance: i, ...instanceSpan(i) }));
  const timed = spans.filter((s) => !s.allDay);
  const allDay = spans.filter((s) => s.allDay);
  const previousScroll = root.querySelector('.week-body')?.scrollTop;

  const head = el('div', { class: 'week-head' }, el('div', { class: 'gutter' }));
  const allDayRow = el('div', { class: 'all-day-row' }, el('div', { class: 'gutter' }, 'all day'));
  const gutter = el('div', { class: 'hours' });
  for (let h = 0; h < 24; h++) gutter.append(el('div', { class: 'hour-label', style: { top: `${h * HOUR_PX}px` } }, h === 0 ? '' : hourLabel(h)));
  const body = el('div', { class: 'week-body' }, el('div', { class: 'week-body-inner', style: { height: `${24 * HOUR_PX}px` } }, gutter));
  const inner = body.firstChild;

  for (const day of days) {
    const today = sameDay(day, now);
    head.append(el('div', { class: `day-head${today ? ' today' : ''}`, 'data-date': isoDate(day) }, el('span', { class: 'weekday' }, dayHeading(day)), el('span', { class: 'day-number' }, String(day.getDate()))));
    const cell = el('div', { class: 'all-day-cell', 'data-date': isoDate(day), ondblclick: () => handlers.createAt(day, true) });
    for (const s of allDay.filter((s) => s.start <= day && s.end > day)) cell.append(eventButton(s.instance, calendars, handlers, flash));
    allDayRow.append(cell);

    const column = el('div', {
      class: `day-column${today ? ' today' : ''}`,
      'data-date': isoDate(day),
      onclick: (e) => {
        const y = e.clientY - column.getBoundingClientRect().top;
        const minutes = Math.max(0, Math.min(23.5 * 60, Math.floor((y / HOUR_PX) * 2) * 30));
        handlers.createAt(new Date(day.getTime() + minutes * 60_000), false);
      },
    });
    for (const box of layoutDay(day, timed)) {
      const width = 100 / box.columns;
      const style = { top: `${box.top}px`, height: `${Math.max(box.height, 18)}px`, left: `calc(${box.column * width}% + 2px)`, width: `calc(${width}% - 4px)` };
      // Under about two lines of text, title and start time share one line.
      column.append(eventButton(box.instance, calendars, handlers, flash, style, box.height < 34));
    }
    if (today) {
      const minutes = (now.getTime() - day.getTime()) / 60_000;
      if (minutes >= 0 && minutes < DAY_MS / 60_000) column.append(el('div', { class: 'now-line', style: { top: `${(minutes / 60) * HOUR_PX}px` } }));
    }
    inner.append(column);
  }

  root.replaceChildren(el('div', { class: 'week' }, head, allDayRow, body));
  body.scrollTop = previousScroll ?? 7.5 * HOUR_PX;
}
