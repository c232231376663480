/**
 * `match`/`case` statements (Cython 3's MatchCaseNodes.py). The subject is copied into a temp once
 * (MatchNode.analyse_expressions: `coerce_to_temp` unless it is a literal) and released after the last case and at
 * every `return` out of a case. Cases whose pattern is a plain value comparison (literals, `None`/`True`/`False`,
 * dotted value names, `|` of those, a bare capture) become an `if`/`elif` chain (MatchNode.refactor_cases):
 * `subject == value` at the case line, `is` for the singletons. The other patterns test the subject with the
 * `__Pyx_MatchCase_*` helpers (sequence: IsSequence + PyObject_Length + __Pyx_GetItemInt per item; mapping:
 * IsMapping + Mapping_Extract; class: Py<Type>_Check for builtin types, else the global lookup, TypeGuard and
 * PyObject_IsInstance, attributes by __Pyx_PyObject_GetAttrStr) and bind their targets with reference-count macros.
 * A subject of a C type (`match n:` with `cdef int n`) compares in C: no cost. Points per piece were read from
 * `cython -a` on test programs (Cython 3.3.1); see test/annotations/match-case.test.ts.
 */
import { type Node, field, namedChildren, significantChildren } from '../model/syntax';
import { returnsIn } from './control-flow';
import { type CostEnv, gilHeld, lineOf } from './cost-env';
import { MACRO, PY_CALL, PYX_CALL } from './line-costs';

/** Builtin types whose class pattern is a `Py<Type>_Check` (Builtin.py types with a type check function). */
const BUILTIN_CHECKED = new Set(['bool', 'bytearray', 'bytes', 'complex', 'dict', 'float', 'frozenset', 'int', 'list',
  'set', 'str', 'tuple']);

const LITERALS = new Set(['integer', 'float', 'string', 'concatenated_string', 'complex_pattern']);
const SINGLETONS = new Set(['none', 'true', 'false']);

export function matchStatement(node: Node, env: CostEnv): void {
  const subject = field(node, 'subject');
  const body = field(node, 'body');
  const cases = body ? namedChildren(body).filter((c) => c.type === 'case_clause') : [];
  const line = lineOf(node);
  let pySubject = false;
  let subjectTemp = false;
  if (subject) {
    const info = env.walk.expr(subject, env);
    env.sink.mark(line);
    pySubject = info.type.kind === 'py';
    // A literal subject is not copied (MatchNode.analyse_expressions); a name is copied into a new reference.
    subjectTemp = pySubject && !info.literal;
    if (subjectTemp && gilHeld(env) && !info.temp) env.sink.add(line, MACRO, 'match subject copied into a temp');
  }
  const held = gilHeld(env) && pySubject;
  // the line of the previous case of the current run of simple cases (one `if`/`elif` chain)
  let previousSimple: number | undefined;
  for (const clause of cases) {
    const pattern = significantChildren(clause).find((c) => c.type === 'case_pattern');
    const guard = field(clause, 'guard');
    const caseLine = lineOf(clause);
    if (held && pattern) {
      const p = unwrap(pattern);
      if (!isSimple(p) || guard) {
        // the subject cloned for the pattern's own tests (allocate_subject_temps), at the subject's position
        env.sink.add(line, isSequenceOrMapping(p) ? 2 * MACRO : MACRO, 'match subject handed to the pattern');
      } else if (isCapture(p)) {
        env.sink.add(line, MACRO, 'match subject bound to the capture');
      }
      const reason = `case pattern \`${pattern.text.replace(/\s+/g, ' ').slice(0, 40)}\` tested on a Python object`;
      if (isSimple(p) && !guard) {
        // A string/bytes comparison of an `elif` of the chain is generated before the clause marks its position: it
        // shows on the previous case's line (cython -a).
        const alternatives = p.type === 'union_pattern' ? namedChildren(p).map(unwrap) : [p];
        const strings = alternatives.filter((a) => a.type === 'string' || a.type === 'concatenated_string');
        const own = alternatives.filter((a) => isValue(a) && !strings.includes(a));
        if (previousSimple !== undefined) env.sink.add(previousSimple, strings.length * PYX_CALL, reason);
        env.sink.add(caseLine, own.reduce((sum, a) => sum + valueCost(a), 0)
          + (previousSimple === undefined ? strings.length * PYX_CALL : 0), reason);
      } else {
        env.sink.add(caseLine, patternCost(p, true), reason);
      }
    }
    previousSimple = pattern && isSimple(unwrap(pattern)) && !guard ? caseLine : undefined;
    env.sink.mark(caseLine);
    if (guard) {
      const cond = significantChildren(guard)[0];
      if (cond) env.walk.condition(cond, env);
    }
    env.walk.block(field(clause, 'consequence'), env);
  }
  if (!subjectTemp || !gilHeld(env)) return;
  // the subject temp is released at each `return` out of a case and after the match (at the last line walked)
  const returns = cases.flatMap((c) => returnsIn(field(c, 'consequence')));
  for (const ret of returns) env.sink.add(lineOf(ret), MACRO, 'match subject released');
  env.sink.here(MACRO, 'match subject released');
}

/** The pattern inside `case_pattern` wrappers and one-item parentheses without a comma (a group pattern). */
function unwrap(p: Node): Node {
  let cur = p;
  for (;;) {
    if (cur.type === 'case_pattern') {
      const inner = namedChildren(cur)[0];
      if (!inner) return cur; // `_`
      cur = inner;
    } else if (cur.type === 'tuple_pattern' && namedChildren(cur).length === 1 && !cur.children.some((c) => c?.text === ',')) {
      cur = namedChildren(cur)[0]!;
    } else {
      return cur;
    }
  }
}

function isWildcard(p: Node): boolean {
  return p.type === 'case_pattern' && namedChildren(p).length === 0;
}

function isCapture(p: Node): boolean {
  return p.type === 'dotted_name' && namedChildren(p).length === 1 || p.type === 'identifier';
}

function isValue(p: Node): boolean {
  return LITERALS.has(p.type) || SINGLETONS.has(p.type) || p.type === 'dotted_name' && namedChildren(p).length > 1;
}

/** MatchCaseNode.is_simple_value_comparison: values, `|` of values, a bare capture or `_`. */
function isSimple(p: Node): boolean {
  if (isWildcard(p) || isCapture(p) || isValue(p)) return true;
  return p.type === 'union_pattern' && namedChildren(p).map(unwrap).every(isValue);
}

/** Points of `subject == value` (an `is` for None/True/False costs nothing). */
function valueCost(p: Node): number {
  if (SINGLETONS.has(p.type)) return 0;
  if (p.type === 'dotted_name') {
    // the global lookup, one __Pyx_PyObject_GetAttrStr per attribute, the comparison and the temps released
    return PYX_CALL * namedChildren(p).length + PYX_CALL + 2 * MACRO;
  }
  return PYX_CALL; // __Pyx_PyLong_BoolEqObjC, __Pyx_PyObject_CompareBoolEq_object_str...
}

function isSequenceOrMapping(p: Node): boolean {
  return p.type === 'list_pattern' || p.type === 'tuple_pattern' || p.type === 'dict_pattern';
}

/** Points of testing (and binding) a pattern against a Python object; `top`: the case's own pattern. */
function patternCost(raw: Node, top: boolean): number {
  const p = unwrap(raw);
  if (isWildcard(p)) return 0;
  if (isCapture(p)) return top ? 0 : 4 * MACRO;
  if (isValue(p)) return valueCost(p) + (top ? 0 : 4 * MACRO);
  switch (p.type) {
    case 'as_pattern': {
      const inner = namedChildren(p).find((c) => c.type === 'case_pattern');
      return (inner ? patternCost(inner, top) : 0) + 4 * MACRO;
    }
    case 'union_pattern':
      return namedChildren(p).reduce((s, a) => s + patternCost(a, top), 0);
    case 'list_pattern': case 'tuple_pattern': {
      // __Pyx_MatchCase_IsSequence and PyObject_Length, their temps released
      let points = PYX_CALL + PY_CALL + 2 * MACRO;
      const items = namedChildren(p);
      for (const item of items) {
        const star = item.type === 'splat_pattern' ? item : namedChildren(item).find((c) => c.type === 'splat_pattern');
        if (star) {
          // `*rest`: a list sliced out of the subject (a second length check when other items are there)
          if (namedChildren(star).length > 0) points += PYX_CALL + 4 * MACRO + (items.length > 1 ? PY_CALL : 0);
          continue;
        }
        const sub = unwrap(item);
        if (isWildcard(sub)) continue;
        points += PYX_CALL + patternCost(sub, false); // __Pyx_GetItemInt
      }
      return points;
    }
    case 'dict_pattern': {
      const entries = namedChildren(p);
      const values = entries.filter((c) => c.type === 'case_pattern');
      // __Pyx_MatchCase_IsMapping; __Pyx_MatchCase_Mapping_Extract when there are keys
      let points = PYX_CALL + MACRO + (values.length > 0 ? PYX_CALL : 0);
      for (const v of values) points += patternCost(v, false);
      if (entries.some((c) => c.type === 'splat_pattern' && namedChildren(c).length > 0)) {
        points += PYX_CALL + 4 * MACRO; // __Pyx_MatchCase_DoubleStarCapture
      }
      return points;
    }
    case 'class_pattern': {
      const [cls, ...args] = namedChildren(p);
      const name = cls?.text.replace(/\s+/g, '') ?? '';
      let points = BUILTIN_CHECKED.has(name)
        ? PY_CALL + MACRO
        // the class looked up, __Pyx_MatchCase_TypeGuard, PyObject_IsInstance
        : PYX_CALL * (cls ? Math.max(1, namedChildren(cls).length) : 1) + PYX_CALL + PY_CALL + 2 * MACRO;
      let keywords = 0;
      for (const a of args) {
        const kw = a.type === 'case_pattern' ? namedChildren(a)[0] : a;
        if (kw?.type === 'keyword_pattern') {
          keywords++;
          const value = namedChildren(kw)[1];
          // __Pyx_PyObject_GetAttrStr, an AttributeError turned into "no match"
          points += PYX_CALL + (value ? patternCost(value, false) : 0);
        } else {
          points += PYX_CALL + patternCost(a, false); // __Pyx_MatchCase_ClassPositional
        }
      }
      // the AttributeError test of the keyword lookups (__Pyx_PyErr_ExceptionMatches, __Pyx_GetException...)
      if (keywords > 0) points += 5 * PYX_CALL + 8 * MACRO;
      return points;
    }
    default:
      return 0;
  }
}

