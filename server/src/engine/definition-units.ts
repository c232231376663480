/**
 * The units a document is analysed and cached in (engine/definition-cache.ts): each top-level statement, except that
 * a class is split into its own code (header, decorators, attributes, class-level statements) and one unit per
 * method, so that a keystroke in a method of a long class re-analyses that method only.
 */
import { type Node, field, significantChildren, undecorate } from '../model/syntax';

export interface DefinitionUnit {
  /** The top-level statement the unit belongs to. */
  statement: Node;
  /** The unit's node: its text keys the cache, its first row anchors the unit's relative rows. */
  node: Node;
  /** '' for a whole statement; for a class member, the class header (what the member's analysis sees of it). */
  context: string;
  /**
   * Ids of the statement's direct class members that this unit does not analyse (walkers skip them); undefined: the
   * whole statement.
   */
  skip?: ReadonlySet<number>;
  /** For a member: the rows of the unit's own results (results outside them belong to the class's own unit). */
  rows?: { first: number; last: number };
}

const CLASSES = new Set(['class_definition', 'cdef_class_definition', 'cypclass_definition']);
const DEFINITIONS = new Set(['function_definition', 'c_function_definition', 'decorated_definition']);

/**
 * Units of a top-level statement, computed once per node (every check of a tree version shares them). `splitClasses`
 * is the session's option (model/analysis-session.ts): off, every statement is one unit (tests compare the two).
 */
export function definitionUnits(statement: Node, splitClasses = true): DefinitionUnit[] {
  const known = memo.get(statement);
  if (known && known.split === splitClasses) return known.units;
  const units = unitsOf(statement, splitClasses);
  memo.set(statement, { split: splitClasses, units });
  return units;
}

const memo = new WeakMap<Node, { split: boolean; units: DefinitionUnit[] }>();

/**
 * The units of every top-level statement under `root` in order (comments too, unless `comments` is false: the
 * annotator's statements are the significant ones), computed once per tree: one memo entry per tree rather than one
 * per statement (a keystroke's new tree would otherwise cost a WeakMap entry for each of its statements).
 */
export function treeUnits(root: Node, splitClasses = true, comments = true): readonly DefinitionUnit[] {
  let known = treeMemo.get(root);
  if (!known || known.split !== splitClasses) {
    const all: DefinitionUnit[] = [];
    for (const s of root.namedChildren) if (s) for (const u of unitsOf(s, splitClasses)) all.push(u);
    known = { split: splitClasses, all, significant: undefined };
    treeMemo.set(root, known);
  }
  if (comments) return known.all;
  return (known.significant ??= known.all.filter((u) => u.statement.type !== 'comment'));
}

const treeMemo = new WeakMap<Node, { split: boolean; all: DefinitionUnit[]; significant: DefinitionUnit[] | undefined }>();

function unitsOf(statement: Node, splitClasses: boolean): DefinitionUnit[] {
  const whole: DefinitionUnit[] = [{ statement, node: statement, context: '' }];
  const def = undecorate(statement);
  if (!splitClasses || !CLASSES.has(def.type) || statement.startPosition.column !== 0) return whole;
  const body = field(def, 'body');
  if (!body) return whole;
  const members = significantChildren(body).filter((m) => DEFINITIONS.has(m.type));
  if (members.length < 2) return whole;
  const ids = new Set(members.map((m) => m.id));
  const header = statement.text.slice(0, body.startIndex - statement.startIndex);
  const units: DefinitionUnit[] = [{ statement, node: statement, context: '', skip: ids }];
  for (const m of members) {
    const skip = new Set(ids);
    skip.delete(m.id);
    units.push({ statement, node: m, context: header, skip, rows: { first: m.startPosition.row, last: m.endPosition.row } });
  }
  return units;
}

/**
 * The units that meet `rows` (all when undefined): a partial analysis (CheckContext.rows) walks only these, and their
 * results go into the per-definition caches like those of a full analysis.
 */
export function unitsInRows(units: readonly DefinitionUnit[], rows: { first: number; last: number } | undefined): readonly DefinitionUnit[] {
  if (!rows) return units;
  return units.filter((u) => u.node.endPosition.row >= rows.first && u.node.startPosition.row <= rows.last);
}

/** The class members a unit skips (for analyses that sweep offsets rather than walk the tree). */
export function skippedMembers(unit: DefinitionUnit): Node[] {
  const skip = unit.skip;
  if (!skip) return [];
  const body = field(undecorate(unit.statement), 'body');
  return body ? significantChildren(body).filter((m) => skip.has(m.id)) : [];
}
