/**
 * Python-level module globals: `def` and `class` names, assigned names, names bound in module-level blocks, imports
 * (and the `cython` module's names, `cython.cimports` imports).
 */
import { PY_OBJECT, py } from '../c-types';
import { cythonModule } from '../cython-module';
import { type Node, field, fields, locationOf, significantChildren } from '../syntax';
import { namesIn } from '../assignment-targets';
import type { Symbol } from '../symbols';
import type { Collecting, StatementEnv } from './collecting';

/** Module-level blocks (if/try/with/for bodies) may hold definitions and assignments too. */
export function collectNested(collector: Collecting, s: Node, env: StatementEnv): void {
  for (const c of significantChildren(s)) {
    if (c.type === 'block') collector.collectStatements(significantChildren(c), env);
    else if (['elif_clause', 'else_clause', 'except_clause', 'finally_clause'].includes(c.type)) {
      collector.collectStatement(c, env);
    } else if (c.type === 'as_pattern' || c.type === 'with_clause') {
      for (const n of namesIn(c)) if (n.parent?.type === 'as_pattern_target') definePythonVariable(collector, n);
    }
  }
}

export function definePython(collector: Collecting, name: string, kind: 'py-function' | 'py-class', node: Node): void {
  const existing = collector.scope.lookupLocal(name);
  if (existing && existing.kind !== 'py-variable' && existing.kind !== 'unresolved') {
    defineAlsoPython(collector, existing);
    return;
  }
  collector.scope.define({ name, kind, type: py(kind === 'py-class' ? 'type' : 'function'), binding: 'module',
    location: locationOf(collector.ctx.uri, field(node, 'name') ?? node) });
}

export function definePythonVariable(collector: Collecting, nameNode: Node): void {
  const name = nameNode.text;
  const existing = collector.scope.lookupLocal(name);
  if (existing) {
    if (existing.kind === 'cimported-module' || existing.kind === 'c-function' || existing.kind === 'ext-class'
      || existing.kind === 'c-type') defineAlsoPython(collector, existing);
    return;
  }
  collector.scope.define({ name, kind: 'py-variable', type: PY_OBJECT, binding: 'module',
    location: locationOf(collector.ctx.uri, nameNode) });
}

export function collectPythonImport(collector: Collecting, s: Node): void {
  const from = s.type === 'import_from_statement' ? field(s, 'module_name')?.text.replace(/\s+/g, '') : undefined;
  if (from?.startsWith('cython.cimports.')) {
    // pure Python mode: `from cython.cimports.libc.math import sqrt` is `from libc.math cimport sqrt`
    collector.cimports.collectCimportFrom(s, from.slice('cython.cimports.'.length));
    return;
  }
  for (const target of importedNames(s)) {
    if (target.module === 'cython' || target.module.startsWith('cython.')) {
      // `from cython.parallel import prange`, `import cython`: compile-time names, as with cimport.
      // `import cython as cy` binds cy to the module; `from cython import nogil as ng` binds ng to cython.nogil
      const whole = s.type === 'import_statement';
      const sym = cythonModule(whole ? 'cython' : target.module).symbols.get(whole ? 'cython' : target.imported ?? target.name)!;
      collector.scope.define({ ...sym, name: target.name, binding: 'module', location: locationOf(collector.ctx.uri, target.node),
        module: whole ? cythonModule(target.node.type === 'aliased_import' ? target.module : 'cython') : sym.module });
      continue;
    }
    const existing = collector.scope.lookupLocal(target.name);
    if (existing && existing.kind !== 'py-variable') {
      defineAlsoPython(collector, existing);
      continue;
    }
    collector.scope.define({ name: target.name, kind: 'py-module', type: py('module'), binding: 'module',
      location: locationOf(collector.ctx.uri, target.node), origin: `import ${target.module}` });
  }
}

/**
 * A name this module also binds as a Python name: flagged in a copy, never in place. The symbol may be shared with
 * other modules: the module's own .pxd's (its companion, cached for every module that cimports it) or one a cimport
 * bound; flagging it in place would make the name a Python one for them too, and for this module after it no
 * longer binds it (as classCopyOf does for the companion's classes).
 */
function defineAlsoPython(collector: Collecting, existing: Symbol): void {
  if (!existing.alsoPython) collector.scope.define({ ...existing, alsoPython: true });
}

function importedNames(s: Node): { name: string; module: string; node: Node; imported?: string }[] {
  const out: { name: string; module: string; node: Node; imported?: string }[] = [];
  if (s.type === 'import_statement') {
    for (const item of fields(s, 'name')) {
      if (item.type === 'aliased_import') {
        const alias = field(item, 'alias');
        const name = field(item, 'name');
        if (alias && name) out.push({ name: alias.text, module: name.text, node: item });
      } else {
        out.push({ name: item.text.split('.')[0], module: item.text, node: item });
      }
    }
  } else if (s.type === 'import_from_statement') {
    const module = field(s, 'module_name')?.text ?? '';
    for (const item of fields(s, 'name')) {
      if (item.type === 'aliased_import') {
        const alias = field(item, 'alias');
        if (alias) out.push({ name: alias.text, module, node: item, imported: field(item, 'name')?.text });
      } else {
        out.push({ name: item.text, module, node: item });
      }
    }
  }
  return out;
}
