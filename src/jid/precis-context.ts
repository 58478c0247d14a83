// RFC 5892 appendix A (contextual rules for CONTEXTJ and CONTEXTO code points, which PRECIS reuses
// per RFC 8264 section 9.8/9.9) and a basic form of the RFC 5893 section 2 Bidi Rule.
//
// Two simplifications, both on the side of rejecting: JS cannot read the Joining_Type property, so
// ZERO WIDTH NON-JOINER is accepted only after a virama (never by the joining-type clause); and JS
// cannot read Bidi_Class, so right-to-left is approximated by script.

const ACUTE = '\u0301'; // canonical combining class 230
const DEVANAGARI_VIRAMA = '\u094d'; // canonical combining class 9

function reorders(s: string): boolean {
  return s.normalize('NFD') !== s;
}

const viramaMemo = new Map<number, boolean>();

// Canonical_Combining_Class = Virama (9), read off canonical reordering: a mark of class 9 moves
// before U+0301 (class 230) and stays in place beside another class-9 mark.
export function isVirama(cp: number): boolean {
  let known = viramaMemo.get(cp);
  if (known === undefined) {
    const ch = String.fromCodePoint(cp);
    known =
      ch.normalize('NFD') === ch &&
      reorders('a' + ACUTE + ch) &&
      !reorders('a' + DEVANAGARI_VIRAMA + ch) &&
      !reorders('a' + ch + DEVANAGARI_VIRAMA);
    if (viramaMemo.size > 1024) viramaMemo.clear();
    viramaMemo.set(cp, known);
  }
  return known;
}

const RE_GREEK = /^\p{Script=Greek}$/u;
const RE_HEBREW = /^\p{Script=Hebrew}$/u;
const RE_KANA_HAN = /^[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]$/u;

function scriptIs(re: RegExp, cp: number | undefined): boolean {
  return cp !== undefined && re.test(String.fromCodePoint(cp));
}

/** Whether the contextual rule for the CONTEXTJ/CONTEXTO code point at cps[i] is satisfied. */
export function contextRuleHolds(cps: readonly number[], i: number): boolean {
  const cp = cps[i];
  const before = i > 0 ? cps[i - 1] : undefined;
  const after = i + 1 < cps.length ? cps[i + 1] : undefined;
  switch (cp) {
    case 0x200c: // ZERO WIDTH NON-JOINER
    case 0x200d: // ZERO WIDTH JOINER
      return before !== undefined && isVirama(before);
    case 0x00b7: // MIDDLE DOT, only in Catalan "l·l"
      return before === 0x6c && after === 0x6c;
    case 0x0375: // GREEK LOWER NUMERAL SIGN
      return scriptIs(RE_GREEK, after);
    case 0x05f3: // HEBREW PUNCTUATION GERESH
    case 0x05f4: // HEBREW PUNCTUATION GERSHAYIM
      return scriptIs(RE_HEBREW, before);
    case 0x30fb: // KATAKANA MIDDLE DOT
      return cps.some((c) => c !== 0x30fb && scriptIs(RE_KANA_HAN, c));
    default:
      if (cp >= 0x0660 && cp <= 0x0669) return !cps.some((c) => c >= 0x06f0 && c <= 0x06f9);
      if (cp >= 0x06f0 && cp <= 0x06f9) return !cps.some((c) => c >= 0x0660 && c <= 0x0669);
      return false;
  }
}

// Scripts written right to left: their letters and punctuation are Bidi_Class R or AL.
const RE_RTL_SCRIPT =
  /^[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Mende_Kikakui}\p{Script=Imperial_Aramaic}\p{Script=Phoenician}\p{Script=Kharoshthi}\p{Script=Avestan}\p{Script=Old_South_Arabian}\p{Script=Old_North_Arabian}\p{Script=Nabataean}\p{Script=Palmyrene}\p{Script=Hatran}\p{Script=Manichaean}\p{Script=Psalter_Pahlavi}\p{Script=Inscriptional_Pahlavi}\p{Script=Inscriptional_Parthian}\p{Script=Lydian}\p{Script=Cypriot}\p{Script=Old_Hungarian}\p{Script=Sogdian}\p{Script=Old_Sogdian}\p{Script=Elymaic}\p{Script=Chorasmian}\p{Script=Yezidi}]$/u;
const RE_LETTER = /^[\p{L}\p{Mc}]$/u;
const RE_MARK = /^[\p{Mn}\p{Me}]$/u;
const RE_DIGIT = /^\p{Nd}$/u;

type BidiClass = 'R' | 'L' | 'AN' | 'EN' | 'NSM' | 'OTHER';

function bidiClass(cp: number): BidiClass {
  if (cp < 0x80) {
    if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return 'L';
    if (cp >= 0x30 && cp <= 0x39) return 'EN';
    return 'OTHER';
  }
  if ((cp >= 0x0660 && cp <= 0x0669) || cp === 0x066b || cp === 0x066c) return 'AN';
  const ch = String.fromCodePoint(cp);
  if (RE_MARK.test(ch)) return 'NSM';
  if (RE_DIGIT.test(ch)) return 'EN';
  if (RE_RTL_SCRIPT.test(ch)) return 'R';
  if (RE_LETTER.test(ch)) return 'L';
  return 'OTHER';
}

/**
 * RFC 5893 section 2, for strings that contain right-to-left characters: they must start with one,
 * contain no left-to-right letters, end (before trailing marks) in a right-to-left character or a
 * digit, and not mix European and Arabic-Indic digits. Purely left-to-right strings pass.
 */
export function satisfiesBidiRule(cps: readonly number[]): boolean {
  let rtl = false;
  for (const cp of cps) {
    if (cp >= 0x0590) {
      const c = bidiClass(cp);
      if (c === 'R' || c === 'AN') {
        rtl = true;
        break;
      }
    }
  }
  if (!rtl) return true;
  const classes = cps.map(bidiClass);
  if (classes[0] !== 'R') return false;
  if (classes.includes('L')) return false;
  if (classes.includes('EN') && classes.includes('AN')) return false;
  let last = classes.length - 1;
  while (last > 0 && classes[last] === 'NSM') last--;
  const end = classes[last];
  return end === 'R' || end === 'EN' || end === 'AN';
}
