/**
 * Line-anchored searches of a whole document without scanning it character by character: a multiline regular
 * expression such as `/^[ \t]*include[ \t]/m` has no literal to skip ahead to, so the regex engine tries it at every
 * offset (milliseconds per call on a 5k-line module, paid per keystroke). Every line such a pattern can match
 * contains a literal word (`include`): these helpers find the word with `indexOf` and test only the lines around it.
 */

/** Line terminators of a JavaScript multiline regular expression (`^`/`$` with the `m` flag, `.` stops at them). */
function isTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** Start offsets of the lines (as `^`/`$` with the `m` flag see them) that contain `word`, each line once. */
export function* linesContaining(text: string, word: string): Generator<{ start: number; end: number }> {
  let from = 0;
  for (let at = text.indexOf(word, from); at !== -1; at = text.indexOf(word, from)) {
    let start = at;
    while (start > 0 && !isTerminator(text.charCodeAt(start - 1))) start--;
    let end = at + word.length;
    while (end < text.length && !isTerminator(text.charCodeAt(end))) end++;
    yield { start, end };
    from = end + 1;
  }
}

/**
 * Whether some line of `text` matches `lineRegex` (anchored with `^`/`$`, no `m` flag), knowing that every line it
 * can match contains `word`: the same answer as the regex with the `m` flag on the whole text.
 */
export function someLineMatches(text: string, word: string, lineRegex: RegExp): boolean {
  for (const { start, end } of linesContaining(text, word)) if (lineRegex.test(text.slice(start, end))) return true;
  return false;
}
