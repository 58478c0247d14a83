// RFC 8264 section 9 (PRECIS derived property, the calculation order of section 8) and RFC 5892
// section 3 (the IDNA2008 derived property it descends from), computed from the Unicode data that
// V8 ships: general categories and binary properties through regex property escapes, HasCompat
// through String.prototype.normalize. No generated tables, so the Unicode version follows Node's.

export type DerivedProperty =
  | 'PVALID'
  | 'CONTEXTJ'
  | 'CONTEXTO'
  /** ID_DIS in IdentifierClass, FREE_PVAL in FreeformClass (RFC 8264 section 8). */
  | 'SPEC_CLASS'
  | 'DISALLOWED'
  | 'UNASSIGNED';

// RFC 5892 section 2.6, shared by PRECIS (RFC 8264 section 9.6).
const EXCEPTIONS = new Map<number, DerivedProperty>();
for (const cp of [0x00df, 0x03c2, 0x06fd, 0x06fe, 0x0f0b, 0x3007]) EXCEPTIONS.set(cp, 'PVALID');
for (const cp of [0x00b7, 0x0375, 0x05f3, 0x05f4, 0x30fb]) EXCEPTIONS.set(cp, 'CONTEXTO');
for (let cp = 0x0660; cp <= 0x0669; cp++) EXCEPTIONS.set(cp, 'CONTEXTO');
for (let cp = 0x06f0; cp <= 0x06f9; cp++) EXCEPTIONS.set(cp, 'CONTEXTO');
for (const cp of [0x0640, 0x07fa, 0x302e, 0x302f, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303b]) {
  EXCEPTIONS.set(cp, 'DISALLOWED');
}

const RE_UNASSIGNED = /^\p{Cn}$/u;
const RE_NONCHARACTER = /^\p{Noncharacter_Code_Point}$/u;
const RE_IGNORABLE = /^[\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]$/u;
const RE_CONTROL = /^\p{Cc}$/u;
const RE_LETTER_DIGIT = /^[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]$/u;
const RE_OTHER_LETTER_DIGIT = /^[\p{Lt}\p{Nl}\p{No}\p{Me}]$/u;
const RE_SPACE = /^\p{Zs}$/u;
const RE_SYMBOL = /^[\p{Sm}\p{Sc}\p{Sk}\p{So}]$/u;
const RE_PUNCTUATION = /^[\p{Pc}\p{Pd}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}]$/u;

function isUnassigned(ch: string): boolean {
  return RE_UNASSIGNED.test(ch) && !RE_NONCHARACTER.test(ch);
}

// Hangul_Syllable_Type L, V or T (RFC 5892 section 2.9); JS regexes cannot name that property, and
// the conjoining jamo occupy exactly these blocks.
function isOldHangulJamo(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0xa960 && cp <= 0xa97f) || (cp >= 0xd7b0 && cp <= 0xd7ff);
}

function isJoinControl(cp: number): boolean {
  return cp === 0x200c || cp === 0x200d;
}

function computePrecis(cp: number): DerivedProperty {
  const exception = EXCEPTIONS.get(cp);
  if (exception) return exception;
  const ch = String.fromCodePoint(cp);
  if (isUnassigned(ch)) return 'UNASSIGNED';
  if (cp >= 0x21 && cp <= 0x7e) return 'PVALID';
  if (isJoinControl(cp)) return 'CONTEXTJ';
  if (isOldHangulJamo(cp)) return 'DISALLOWED';
  if (RE_IGNORABLE.test(ch)) return 'DISALLOWED';
  if (RE_CONTROL.test(ch)) return 'DISALLOWED';
  if (ch.normalize('NFKC') !== ch) return 'SPEC_CLASS';
  if (RE_LETTER_DIGIT.test(ch)) return 'PVALID';
  if (RE_OTHER_LETTER_DIGIT.test(ch) || RE_SPACE.test(ch) || RE_SYMBOL.test(ch) || RE_PUNCTUATION.test(ch)) {
    return 'SPEC_CLASS';
  }
  return 'DISALLOWED';
}

// RFC 5892 section 2.8: the blocks IDNA2008 excludes outright.
function isIgnorableBlock(cp: number): boolean {
  return (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0x1d100 && cp <= 0x1d24f);
}

function computeIdna(cp: number): DerivedProperty {
  const exception = EXCEPTIONS.get(cp);
  if (exception) return exception;
  const ch = String.fromCodePoint(cp);
  if (isUnassigned(ch)) return 'UNASSIGNED';
  if (cp < 0x80) {
    const ldh = (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || cp === 0x2d;
    return ldh ? 'PVALID' : 'DISALLOWED';
  }
  if (isJoinControl(cp)) return 'CONTEXTJ';
  // "Unstable": NFKC_Casefold would change it. toLowerCase stands in for case folding.
  if (ch.normalize('NFKC').toLowerCase().normalize('NFKC') !== ch) return 'DISALLOWED';
  if (RE_IGNORABLE.test(ch) || isIgnorableBlock(cp) || isOldHangulJamo(cp)) return 'DISALLOWED';
  return RE_LETTER_DIGIT.test(ch) ? 'PVALID' : 'DISALLOWED';
}

// Non-ASCII code points are rare in JIDs, so a small memo keeps repeated addresses cheap without
// letting hostile input grow memory without bound.
const MEMO_LIMIT = 4096;
const precisMemo = new Map<number, DerivedProperty>();
const idnaMemo = new Map<number, DerivedProperty>();

function memoised(memo: Map<number, DerivedProperty>, cp: number, compute: (cp: number) => DerivedProperty): DerivedProperty {
  let value = memo.get(cp);
  if (value === undefined) {
    value = compute(cp);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(cp, value);
  }
  return value;
}

export function precisProperty(cp: number): DerivedProperty {
  return memoised(precisMemo, cp, computePrecis);
}

export function idnaProperty(cp: number): DerivedProperty {
  return memoised(idnaMemo, cp, computeIdna);
}
