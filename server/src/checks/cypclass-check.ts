/**
 * Cython+ reference capabilities (issue 19): the cypclass rules (checks/cypclass/, one per code, fixtures in
 * checks/cypclass/fixtures/ checked against the cython-plus compiler by test/checks/cypclass-fixtures.test.ts).
 * Runs only on documents that define a cypclass; every node of a rule's types is checked in its scope (a function's
 * scope inside a function, the module's elsewhere).
 */
import type { Diagnostic } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, defaultSeverity, type CheckContext, type DocumentCheck, type TreeDocument } from '../engine/check-types';
import { definedClassOf } from '../model/c-types';
import { documentModel } from '../model/document-model';
import type { Scope } from '../model/symbols';
import { isCythonPlusModule } from '../model/cypclass-capabilities';
import { type Node, field } from '../model/syntax';
import { nodeRange } from '../text/positions';
import { activableBase } from './cypclass/activable-base';
import { activeCallArity } from './cypclass/active-call-arity';
import { capabilityArgument } from './cypclass/capability-argument';
import { capabilityAssignment } from './cypclass/capability-assignment';
import { capabilityCast } from './cypclass/capability-cast';
import { constructorWrapper } from './cypclass/constructor-wrapper';
import { consumeAliased } from './cypclass/consume-aliased';
import { consumeNonCypclass } from './cypclass/consume-non-cypclass';
import { lockPerCall } from './cypclass/lock-per-call';
import { lockTemporary } from './cypclass/lock-temporary';
import { lockedOutsideFunction } from './cypclass/locked-outside-function';
import { lockedReturn } from './cypclass/locked-return';
import { lockingNonCypclass } from './cypclass/locking-non-cypclass';
import { methodWithoutSelf } from './cypclass/method-without-self';
import { nonConstMethod } from './cypclass/non-const-method';
import { pythonConversion } from './cypclass/python-conversion';
import { qualifierNonCypclass } from './cypclass/qualifier-non-cypclass';
import { rlockedMutation } from './cypclass/rlocked-mutation';
import type { CypclassContext, CypclassRule } from './cypclass/rule';

export const cypclassRules: readonly CypclassRule[] = [
  capabilityAssignment, capabilityCast, qualifierNonCypclass, consumeNonCypclass, lockedOutsideFunction,
  capabilityArgument, pythonConversion, methodWithoutSelf, lockedReturn, lockingNonCypclass, constructorWrapper,
  nonConstMethod, activableBase, activeCallArity,
  // ours: what the compiler lets through
  consumeAliased, rlockedMutation, lockTemporary, lockPerCall,
];

/** Whether a node is a statement of a cypclass body (a field or a method), possibly decorated. */
function inCypclassBody(node: Node): boolean {
  let n = node;
  if (n.parent?.type === 'decorated_definition') n = n.parent;
  return n.parent?.type === 'block' && n.parent.parent?.type === 'cypclass_definition';
}

const FUNCTIONS = new Set(['function_definition', 'c_function_definition']);
const CLASSES = new Set(['cypclass_definition', 'cdef_class_definition', 'class_definition']);

export const cypclassCheck: DocumentCheck = {
  id: 'cypclass',
  codes: cypclassRules.map((r) => r.code),
  run(doc: TreeDocument, ctx: CheckContext): Diagnostic[] {
    const root = doc.tree.rootNode;
    // Only Cython+ modules: a cypclass defined at top level (a cheap test on the top-level statements).
    if (!isCythonPlusModule(root)) return [];
    const model = documentModel(ctx.session, doc, ctx.settings.includeDirs, ctx.settings.directives);
    const out: Diagnostic[] = [];
    const byType = new Map<string, CypclassRule[]>();
    for (const r of cypclassRules) for (const t of r.nodeTypes) byType.set(t, [...(byType.get(t) ?? []), r]);
    // iterative walk; each frame carries the scope and class its node is in
    const stack: { node: Node; scope: Scope; inFunction: boolean; cls: ReturnType<typeof definedClassOf> }[] =
      [{ node: root, scope: model.declarations.scope, inFunction: false, cls: undefined }];
    while (stack.length) {
      if (ctx.isCancelled()) break;
      const { node, scope, inFunction, cls } = stack.pop()!;
      const rules = byType.get(node.type);
      if (rules) {
        const rctx: CypclassContext = {
          model, scope, inFunction, inCypclassBody: inCypclassBody(node),
          typeOf: (n) => model.typer.typeOf(n, scope),
          report: (n, message, fix) => {
            const code = current!.code;
            const data = !fix ? undefined : fix.fix === 'insert-consume'
              ? { fix: fix.fix, at: nodeRange(doc, fix.at).start } : fix;
            out.push({ range: nodeRange(doc, n), severity: defaultSeverity(code), code, source: DIAGNOSTIC_SOURCE, message,
              ...(data ? { data } : {}) });
          },
        };
        let current: CypclassRule | undefined;
        for (const r of rules) {
          current = r;
          r.check(node, rctx);
        }
      }
      let innerScope = scope;
      let innerFn = inFunction;
      let innerCls = cls;
      if (FUNCTIONS.has(node.type)) {
        innerScope = model.functionInfo(node, scope, cls).scope;
        innerFn = true;
        innerCls = undefined;
      } else if (CLASSES.has(node.type)) {
        const name = field(node, 'name')?.text;
        innerCls = definedClassOf(name ? scope.lookup(name)?.type : undefined);
      }
      const children = node.namedChildren;
      for (let i = children.length - 1; i >= 0; i--) {
        const c = children[i];
        if (c) stack.push({ node: c, scope: innerScope, inFunction: innerFn, cls: innerCls });
      }
    }
    return out;
  },
};
