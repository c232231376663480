/**
 * `cimport a.b as c` and `from a.b cimport x as y`: binds the names in the module scope to the declarations of the
 * resolved .pxd files (or to `unresolved` symbols, remembered once per module, when a .pxd cannot be found).
 */
import { py, unknown } from './c-types';
import { cythonModule } from './cython-module';
import type { CimportRequest, DeclarationContext, UnresolvedCimport } from './declaration-types';
import { type Node, childOfType, field, fields, locationOf, namedChildren } from './syntax';
import type { ModuleSymbols, Scope } from './symbols';

export class CimportBinder {
  constructor(private readonly ctx: DeclarationContext, private readonly scope: Scope,
    private readonly unresolved: UnresolvedCimport[]) {}

  collectCimport(s: Node): void {
    for (const item of fields(s, 'name').length ? fields(s, 'name') : namedChildren(s)) {
      let dotted: Node | null = item;
      let alias: Node | null = null;
      if (item.type === 'aliased_import') {
        dotted = field(item, 'name');
        alias = field(item, 'alias');
      }
      if (!dotted || (dotted.type !== 'dotted_name' && dotted.type !== 'identifier')) continue;
      const module = dotted.text.replace(/\s+/g, '');
      const bound = alias ? alias.text : module.split('.')[0];
      const request: CimportRequest = { module, level: 0, node: item };
      const resolved = this.resolveModule(request);
      if (alias) {
        this.bindModule(bound, module, resolved, item);
      } else {
        // `cimport a.b` binds `a`; attribute access `a.b.x` walks the package.
        const top = module.split('.')[0];
        const topModule = module === top ? resolved : this.packageModule(top, module, resolved);
        this.bindModule(top, top, topModule, item);
      }
    }
  }

  private packageModule(top: string, full: string, resolved: ModuleSymbols | undefined): ModuleSymbols | undefined {
    const existing = this.scope.lookupLocal(top)?.module;
    const pkg: ModuleSymbols = existing ?? { name: top, uri: '', symbols: new Map() };
    let cur = pkg;
    const parts = full.split('.');
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i];
      let sub = cur.symbols.get(part);
      if (!sub) {
        const isLast = i === parts.length - 1;
        const mod: ModuleSymbols | undefined = isLast ? resolved
          : { name: parts.slice(0, i + 1).join('.'), uri: '', symbols: new Map() };
        sub = { name: part, kind: mod ? 'cimported-module' : 'unresolved', type: mod ? py('module')
          : unknown(`unresolved cimport ${full}`), binding: 'module', module: mod };
        cur.symbols.set(part, sub);
      }
      if (!sub.module) break;
      cur = sub.module;
    }
    return pkg;
  }

  private bindModule(bound: string, module: string, resolved: ModuleSymbols | undefined, node: Node): void {
    const prev = this.scope.lookupLocal(bound);
    this.scope.define({
      name: bound, kind: resolved ? 'cimported-module' : 'unresolved',
      type: resolved ? py('module') : unknown(`unresolved cimport ${module}`), binding: 'module',
      module: resolved, location: locationOf(this.ctx.uri, node), origin: `cimport ${module}`,
      alsoPython: prev?.kind === 'py-module' || prev?.alsoPython,
    });
  }

  private resolveModule(request: CimportRequest): ModuleSymbols | undefined {
    if (request.module === 'cython' || request.module.startsWith('cython.')) return cythonModule(request.module);
    const resolved = this.ctx.resolver.resolve(request, this.ctx.uri);
    if (!resolved) this.unresolved.push({ module: '.'.repeat(request.level) + request.module, node: request.node });
    return resolved;
  }

  /**
   * `from m cimport a, b`; with `moduleText`, a Python import that is a cimport in pure Python mode
   * (`from cython.cimports.libc.math import sqrt` cimports `sqrt` from `libc.math`).
   */
  collectCimportFrom(s: Node, moduleText?: string): void {
    const moduleNode = field(s, 'module_name');
    if (!moduleNode) return;
    const text = moduleText ?? moduleNode.text.replace(/\s+/g, '');
    const level = /^\.*/.exec(text)![0].length;
    const moduleName = text.slice(level);
    const request: CimportRequest = { module: moduleName, level, node: moduleNode };
    const resolved = this.resolveModule(request);
    const wildcard = childOfType(s, 'wildcard_import');
    if (wildcard) {
      // (a module the .pxd cimports replaces a Python-imported one of the same name, which stays a Python global)
      if (resolved) {
        for (const sym of resolved.symbols.values()) {
          const prev = sym.kind === 'cimported-module' ? this.scope.lookupLocal(sym.name) : undefined;
          this.scope.define(prev?.kind === 'py-module' || prev?.alsoPython ? { ...sym, alsoPython: true } : sym);
        }
      }
      return;
    }
    for (const item of fields(s, 'name')) {
      let nameNode: Node | null = item;
      let alias: Node | null = null;
      if (item.type === 'aliased_import') {
        nameNode = field(item, 'name');
        alias = field(item, 'alias');
      }
      if (!nameNode) continue;
      const name = nameNode.text;
      const bound = alias?.text ?? name;
      const found = resolved?.symbols.get(name);
      if (found) {
        this.scope.define({ ...found, name: bound, origin: `cimported from ${text}` });
        continue;
      }
      // `from pkg cimport submodule`
      const subName = moduleName ? `${moduleName}.${name}` : name;
      const sub = resolved === undefined && !moduleName.startsWith('cython')
        ? this.ctx.resolver.resolve({ module: subName, level, node: item }, this.ctx.uri)
        : (moduleName === 'cython' || moduleName.startsWith('cython.')) ? cythonModule(subName)
          : this.ctx.resolver.resolve({ module: subName, level, node: item }, this.ctx.uri);
      if (sub) {
        this.scope.define({ name: bound, kind: 'cimported-module', type: py('module'), binding: 'module', module: sub,
          location: locationOf(this.ctx.uri, item), origin: `cimport ${subName}` });
      } else {
        const known = resolved !== undefined;
        this.scope.define({ name: bound, kind: 'unresolved', type: unknown(`${name} not found in ${text}`),
          binding: 'module', location: locationOf(this.ctx.uri, item),
          origin: known ? `not declared in ${text}` : `cimported from unresolved ${text}` });
      }
    }
    // A resolved module whose .pxd lacks the name still counts as resolved; the compiler reports that itself.
    if (resolved === undefined && this.unresolved.length === 0) {
      this.unresolved.push({ module: text, node: moduleNode });
    }
  }
}
