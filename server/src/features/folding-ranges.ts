/**
 * Folding ranges from the tree: every multi-line compound statement (def/cdef/cpdef functions, classes, structs,
 * enums, `cdef:` and `cdef extern` blocks, control flow, `IF`/`ELIF`/`ELSE` blocks, `with nogil:`), docstrings and
 * other multi-line strings, runs of comment lines, and runs of import/cimport lines.
 */
import { type FoldingRange, FoldingRangeKind, type FoldingRangeParams } from 'vscode-languageserver';
import { type Node, namedChildren } from '../model/syntax';
import { guarded } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';

const IMPORTS = new Set(['import_statement', 'import_from_statement', 'cimport_statement', 'cimport_from_statement',
  'future_import_statement']);
/** Nodes folded from their first line to their last (when they span several). */
const FOLDED = new Set(['function_definition', 'c_function_definition', 'class_definition', 'cdef_class_definition',
  'cypclass_definition', 'cppclass_definition', 'struct_definition', 'enum_definition', 'fused_type_definition',
  'cdef_block', 'extern_block', 'property_definition', 'if_statement', 'elif_clause', 'else_clause', 'for_statement',
  'for_from_statement', 'while_statement', 'try_statement', 'except_clause', 'finally_clause', 'with_statement',
  'with_nogil_statement', 'with_gil_statement', 'match_statement', 'case_clause', 'compile_time_if_statement',
  'compile_time_elif_clause', 'compile_time_else_clause', 'decorated_definition', 'dictionary', 'list', 'tuple',
  'argument_list', 'parameters', 'c_parameters', 'set', 'list_comprehension', 'dictionary_comprehension']);
/** Statements whose clauses fold on their own: the statement folds only up to its first clause. */
const CLAUSES = new Set(['elif_clause', 'else_clause', 'except_clause', 'finally_clause', 'compile_time_elif_clause',
  'compile_time_else_clause', 'case_clause']);

export function foldingRanges(root: Node): FoldingRange[] {
  const out: FoldingRange[] = [];
  const seen = new Set<string>();
  const add = (start: number, end: number, kind?: string): void => {
    if (end <= start) return;
    const key = `${start}:${end}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(kind ? { startLine: start, endLine: end, kind } : { startLine: start, endLine: end });
  };
  const visit = (node: Node): void => {
    const kids = namedChildren(node);
    if (FOLDED.has(node.type)) {
      const firstClause = kids.find((c) => CLAUSES.has(c.type));
      // a clause's range ends before the next clause starts
      const end = firstClause ? firstClause.startPosition.row - 1 : lastRow(node);
      if (node.type !== 'decorated_definition') add(node.startPosition.row, end);
    } else if (node.type === 'string' && node.endPosition.row > node.startPosition.row) {
      add(node.startPosition.row, node.endPosition.row, node.parent?.type === 'expression_statement'
        ? FoldingRangeKind.Comment : undefined);
    }
    // runs of comments and of imports among the children
    let runStart = -1;
    let runEnd = -1;
    let runKind: 'comment' | 'imports' | undefined;
    const flush = (): void => {
      if (runKind && runEnd > runStart) add(runStart, runEnd, runKind === 'comment' ? FoldingRangeKind.Comment
        : FoldingRangeKind.Imports);
      runKind = undefined;
    };
    for (const c of kids) {
      const kind = c.type === 'comment' ? 'comment' : IMPORTS.has(c.type) ? 'imports' : undefined;
      if (kind && kind === runKind && c.startPosition.row <= runEnd + 1) {
        runEnd = c.endPosition.row;
      } else {
        flush();
        if (kind) {
          runKind = kind;
          runStart = c.startPosition.row;
          runEnd = c.endPosition.row;
        }
      }
      visit(c);
    }
    flush();
  };
  visit(root);
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/** The last row with content (a node ending at column 0 ends on the line before). */
function lastRow(node: Node): number {
  return node.endPosition.column === 0 ? node.endPosition.row - 1 : node.endPosition.row;
}

export const foldingRangeFeature: Feature = {
  id: 'folding-ranges',
  capabilities: { foldingRangeProvider: true },
  register(connection, deps: FeatureDeps) {
    connection.onFoldingRanges((p: FoldingRangeParams) => guarded(deps, 'foldingRange', null, async () => {
      const doc = typeof p?.textDocument?.uri === 'string' ? deps.document(p.textDocument.uri) : undefined;
      return doc?.tree ? foldingRanges(doc.tree.rootNode) : null;
    }));
  },
};
