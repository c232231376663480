/**
 * The `directives` check: compiler directives the compiler rejects or ignores, in `# cython:` comments, directive
 * decorators and with items. One rule per file in directives/ (fixtures in directives/fixtures/), listed here.
 */
import type { Diagnostic } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, defaultSeverity, type DocumentCheck, type TreeDocument } from '../engine/check-types';
import { directiveComments } from '../model/directive-comments';
import { directiveUses } from '../model/directive-uses';
import { offsetRange } from '../text/positions';
import { directiveScopeRule } from './directives/directive-scope';
import { directiveValueRule } from './directives/directive-value';
import { ignoredDirectiveCommentRule } from './directives/ignored-directive-comment';
import type { DirectiveRule } from './directives/rule';
import { unknownDirectiveRule } from './directives/unknown-directive';

export const directiveRules: readonly DirectiveRule[] = [
  directiveValueRule,
  directiveScopeRule,
  unknownDirectiveRule,
  ignoredDirectiveCommentRule,
];

export const directiveCheck: DocumentCheck = {
  id: 'directives',
  codes: directiveRules.map((r) => r.code),
  run(doc: TreeDocument): Diagnostic[] {
    const tree = doc.tree;
    const isComment = (offset: number): boolean => tree.rootNode.descendantForIndex(offset, offset + 1)?.type === 'comment';
    const input = { text: doc.text, comments: directiveComments(doc.text, isComment), uses: directiveUses(doc.text, tree) };
    const out: Diagnostic[] = [];
    for (const rule of directiveRules) {
      for (const f of rule.find(input)) {
        out.push({
          range: offsetRange(doc, f.start, f.end), severity: defaultSeverity(rule.code), code: rule.code,
          source: DIAGNOSTIC_SOURCE, message: f.message,
        });
      }
    }
    return out;
  },
};
