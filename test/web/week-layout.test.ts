// The week view's placement of timed events (web/app/week-view.js layoutDay): position from the local
// time of day, overlapping events side by side, events across midnight clipped to each day.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

interface Box {
  top: number;
  height: number;
  column: number;
  columns: number;
  start: Date;
}
type LayoutDay = (day: Date, timed: Array<{ start: Date; end: Date }>) => Box[];

// web/app is plain JavaScript served as is; the compiled test sits three folders below the checkout.
const { layoutDay } = (await import(new URL('../../../web/app/week-view.js', import.meta.url).href)) as { layoutDay: LayoutDay };

const HOUR = 48;
const day = new Date(2026, 10, 25);
const at = (h: number, m = 0, d = 25) => new Date(2026, 10, d, h, m);
const span = (from: Date, to: Date) => ({ start: from, end: to });

describe('layoutDay', () => {
  it('places an event by its local start and length, one hour being 48 pixels', () => {
    const [box] = layoutDay(day, [span(at(9, 30), at(11))]);
    assert.deepEqual([box!.top, box!.height, box!.column, box!.columns], [9.5 * HOUR, 1.5 * HOUR, 0, 1]);
  });

  it('two overlapping events share the width; one after them gets it all', () => {
    const boxes = layoutDay(day, [span(at(9), at(10)), span(at(9, 30), at(10, 30)), span(at(11), at(12))]);
    assert.deepEqual(
      boxes.map((b) => `${b.start.getHours()}:${b.start.getMinutes()} ${b.column}/${b.columns}`),
      ['9:0 0/2', '9:30 1/2', '11:0 0/1'],
    );
  });

  it('a column freed by an earlier event is reused within the same cluster', () => {
    const boxes = layoutDay(day, [span(at(9), at(12)), span(at(9), at(10)), span(at(10), at(11))]);
    assert.deepEqual(boxes.map((b) => `${b.column}/${b.columns}`), ['0/2', '1/2', '1/2']);
  });

  it('an event across midnight is clipped to the part in this day', () => {
    const overnight = span(at(22), at(2, 0, 26));
    const [today] = layoutDay(day, [overnight]);
    const [tomorrow] = layoutDay(new Date(2026, 10, 26), [overnight]);
    assert.deepEqual([today!.top, today!.height], [22 * HOUR, 2 * HOUR]);
    assert.deepEqual([tomorrow!.top, tomorrow!.height], [0, 2 * HOUR]);
  });

  it('events of other days are left out, and a zero-length event still gets a visible box', () => {
    const boxes = layoutDay(day, [span(at(9, 0, 24), at(10, 0, 24)), span(at(15), at(15))]);
    assert.equal(boxes.length, 1);
    assert.equal(boxes[0]!.height, HOUR / 4);
  });
});
