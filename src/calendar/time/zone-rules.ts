// RFC 5545 section 3.3.5 (DATE-TIME with a TZID, including the rules for local times that fall in a gap
// or an overlap) on the Olson database that Node ships in ICU: ical.js has no zone data of its own, so
// every offset here is read from Intl.DateTimeFormat.
//
// Times are handled as two kinds of milliseconds: `utc` (an instant) and `wall` (the local calendar
// reading of a clock written as if it were UTC, i.e. Date.UTC(y, m, d, h, mi, s)).

import { localDateTimeToWall } from './wall-clock.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The canonical IANA name of a zone (`europe/paris` -> `Europe/Paris`), or undefined if unknown. */
export function canonicalZone(name: string): string | undefined {
  if (name === '' || name.length > 64) return undefined;
  // Intl also accepts offsets like "+01:00"; RFC 5545 TZIDs here must be Olson names or UTC.
  if (/^[+-]/.test(name)) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved === 'Etc/UTC' || resolved === 'Etc/GMT' || resolved === 'GMT' ? 'UTC' : resolved;
  } catch {
    return undefined;
  }
}

export interface Transition {
  /** The instant the new offset starts. */
  utc: number;
  fromOffset: number;
  toOffset: number;
}

const OFFSET_PATTERN = /GMT(?:([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?)?/;
const rulesByZone = new Map<string, ZoneRules>();

export class ZoneRules {
  private readonly format: Intl.DateTimeFormat;
  private readonly transitionsByYear = new Map<number, Transition[]>();

  private constructor(readonly zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  }

  /** Rules of a canonical zone name (see canonicalZone); throws RangeError for an unknown zone. */
  static of(zone: string): ZoneRules {
    let rules = rulesByZone.get(zone);
    if (!rules) {
      rules = new ZoneRules(zone);
      rulesByZone.set(zone, rules);
    }
    return rules;
  }

  /** Offset (wall - utc) in milliseconds at an instant. */
  offsetAt(utc: number): number {
    const match = OFFSET_PATTERN.exec(this.format.format(utc));
    if (!match || match[1] === undefined) return 0;
    const magnitude = Number(match[2]) * HOUR + Number(match[3] ?? 0) * MINUTE + Number(match[4] ?? 0) * 1000;
    return match[1] === '-' ? -magnitude : magnitude;
  }

  wallAt(utc: number): number {
    return utc + this.offsetAt(utc);
  }

  /**
   * The instant a local wall time names. RFC 5545 3.3.5: a time that occurs twice (clocks going back)
   * means the first occurrence; a time that does not occur (clocks going forward) is read with the offset
   * before the gap, so 02:30 on a spring-forward night at 02:00 becomes 03:30 daylight time.
   */
  utcOf(wall: number): number {
    const before = this.offsetAt(wall - DAY);
    const after = this.offsetAt(wall + DAY);
    let best: number | undefined;
    for (const offset of before === after ? [before] : [before, after]) {
      const candidate = wall - offset;
      if (this.offsetAt(candidate) === offset && (best === undefined || candidate < best)) best = candidate;
    }
    // No offset fits: the wall time is in a gap, read with the offset in force before it.
    return best ?? wall - before;
  }

  /** The instant of a local `YYYY-MM-DDTHH:MM:SS` in this zone. */
  utcOfLocal(localDateTime: string): number {
    return this.utcOf(localDateTimeToWall(localDateTime));
  }

  /** Offset changes of one calendar year (UTC), found by sampling twice a day and bisecting to the second. */
  transitionsInYear(year: number): Transition[] {
    const cached = this.transitionsByYear.get(year);
    if (cached) return cached;
    const out: Transition[] = [];
    const end = Date.UTC(year + 1, 0, 1);
    let t = Date.UTC(year, 0, 1);
    let offset = this.offsetAt(t);
    while (t < end) {
      const next = Math.min(t + DAY / 2, end);
      const nextOffset = this.offsetAt(next);
      if (nextOffset !== offset) {
        let lo = t;
        let hi = next;
        while (hi - lo > 1000) {
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
          if (this.offsetAt(mid) === offset) lo = mid;
          else hi = mid;
        }
        out.push({ utc: hi, fromOffset: offset, toOffset: this.offsetAt(hi) });
      }
      t = next;
      offset = nextOffset;
    }
    this.transitionsByYear.set(year, out);
    return out;
  }

  transitionsBetween(fromYear: number, toYear: number): Transition[] {
    const out: Transition[] = [];
    for (let y = fromYear; y <= toYear; y++) out.push(...this.transitionsInYear(y));
    return out;
  }

  /** The standard (non-daylight) offset of a year: the smaller of its January and July offsets. */
  standardOffset(year: number): number {
    return Math.min(this.offsetAt(Date.UTC(year, 0, 1)), this.offsetAt(Date.UTC(year, 6, 1)));
  }
}
