/**
 * Classes: cdef classes (and pure Python mode `@cython.cclass` classes, or classes the module's .pxd declares
 * `cdef class`) with their attributes and methods, C++ classes, Cython+ cypclasses; the copy of a companion .pxd's
 * cdef class that a .pyx extends.
 */
import { type ClassInfo, PY_OBJECT } from '../c-types';
import { interfaceHasError } from '../module-interface';
import { isCythonDataclass } from '../pure-classes';
import { declaredNames, pureDeclarationOf } from '../pure-declarations';
import { RecordedAttributes, RecordedMethods, memberEntries } from '../recorded-methods';
import { type Node, childrenOfType, field, significantChildren, undecorate } from '../syntax';
import type { Scope, Symbol } from '../symbols';
import { typeSyntaxOf } from '../type-resolution';
import type { Collecting, StatementEnv } from './collecting';
import { isPureModeCFunction } from '../cython-names';
import { defineTypeName, lastSegment } from './predeclared-types';
import { collectVariables } from './variables';

export function collectCppClass(collector: Collecting, s: Node, env: StatementEnv): void {
  const name = field(s, 'name')?.text;
  if (!name) return;
  let sym = collector.scope.lookupLocal(name);
  if (!sym || sym.type.kind !== 'cpp') {
    defineTypeName(collector, s, name);
    sym = collector.scope.lookupLocal(name);
  }
  if (!sym || sym.type.kind !== 'cpp' || !sym.type.cls) return;
  const cls = sym.type.cls;
  const body = field(s, 'body');
  if (!body) return;
  const classNogil = childrenOfType(s, 'gil_spec').some((g) => g.text.trim() === 'nogil');
  for (const member of significantChildren(body)) collectClassMember(collector, member, cls, { extern: true,
    externNogil: env.externNogil || classNogil });
}

/**
 * A Cython+ cypclass: its fields and methods (implicitly nogil, Parsing.p_cpp_class_definition), with the members
 * of its cypclass bases; a base we cannot see makes it incomplete.
 */
export function collectCypclass(collector: Collecting, s: Node, nested = false): void {
  const name = field(s, 'name')?.text;
  if (!name) return;
  let sym = collector.scope.lookupLocal(name);
  if (nested && sym && (sym.type.kind !== 'cpp' || !sym.type.cypclass)) return;
  if (!sym || sym.type.kind !== 'cpp' || !sym.type.cypclass) {
    defineTypeName(collector, s, name);
    sym = collector.scope.lookupLocal(name);
  }
  const cls = sym?.type.kind === 'cpp' ? sym.type.cls : undefined;
  if (!cls) return;
  const supers = field(s, 'superclasses');
  for (const base of supers ? significantChildren(supers) : []) {
    cls.base ??= base.text;
    const baseSym = collector.lookupDotted(base.text.replace(/\[.*$/, ''));
    const baseCls = baseSym?.type.kind === 'cpp' ? baseSym.type.cls : undefined;
    if (baseCls) {
      for (const [k, v] of baseCls.attributes) if (!cls.attributes.has(k)) cls.attributes.set(k, v);
      for (const [k, v] of baseCls.methods) if (!cls.methods.has(k)) cls.methods.set(k, v);
      if (baseCls.incomplete) cls.incomplete ??= `its base class ${base.text} is incomplete (${baseCls.incomplete})`;
    } else {
      cls.incomplete ??= `its base class ${base.text} was not found`;
    }
  }
  if (interfaceHasError(s)) cls.incomplete ??= 'its body has a syntax error';
  // template parameters are types we do not model: members typed with them are unknown
  const body = field(s, 'body');
  if (!body) return;
  for (const member of significantChildren(body)) {
    if (member.type === 'cypclass_definition') collectCypclass(collector, member, true);
    else collectClassMember(collector, member, cls, { extern: false, externNogil: true });
  }
}

export function collectClass(collector: Collecting, s: Node, env: StatementEnv): void {
  // `ctypedef class numpy.ndarray [...]` declares `ndarray`
  const name = lastSegment(field(s, 'name')?.text);
  if (!name) return;
  let sym = collector.scope.lookupLocal(name);
  if (!sym || sym.kind !== 'ext-class') {
    defineTypeName(collector, s, name);
    sym = collector.scope.lookupLocal(name);
  }
  const cls = sym?.type.kind === 'py' ? sym.type.cls : undefined;
  if (!cls) return;
  const supers = field(s, 'superclasses');
  if (supers) {
    const first = significantChildren(supers)[0];
    if (first) {
      cls.base = first.text;
      const baseSym = collector.lookupDotted(first.text);
      const baseCls = baseSym?.type.kind === 'py' ? baseSym.type.cls : undefined;
      if (baseCls) {
        for (const [k, v] of baseCls.attributes) if (!cls.attributes.has(k)) cls.attributes.set(k, v);
        for (const [k, v] of baseCls.methods) if (!cls.methods.has(k)) cls.methods.set(k, v);
        if (baseCls.incomplete) cls.incomplete ??= `its base class ${first.text} is incomplete (${baseCls.incomplete})`;
      } else if (!baseSym || baseSym.kind === 'unresolved' || baseSym.kind === 'cython-builtin') {
        cls.incomplete ??= `its base class ${first.text} was not found`;
      }
    }
  }
  if (s.type === 'class_definition' && isCythonDataclass(s)) cls.dataclass = true;
  const body = field(s, 'body');
  // only errors the module interface sees: an error inside a method body keeps the declarations (module-interface.ts)
  if (interfaceHasError(s)) cls.incomplete ??= 'its body has a syntax error';
  if (!body) return;
  for (const member of significantChildren(body)) collectClassMember(collector, member, cls, env);
  // A cdef class of a .pyx declares its C attributes in the .pyx, or in the module's .pxd if there is one (then
  // only there). Without any in the .pyx and without the .pxd, they may be in a .pxd the compiler sees and we
  // did not find.
  if (!collector.ctx.inPxd && !collector.ctx.companion && s.type === 'cdef_class_definition' && !cls.location?.uri.endsWith('.pxd')
    && !significantChildren(body).some(declaresAttributes)) {
    cls.incomplete ??= `its attributes may be declared in ${pxdNameOf(collector.ctx.uri)}, which was not found`;
  }
}

function collectClassMember(collector: Collecting, raw: Node, cls: ClassInfo, env: StatementEnv): void {
  const member = undecorate(raw);
  switch (member.type) {
    case 'cdef_statement': case 'cdef_block':
      for (const c of significantChildren(member)) {
        if (c.type === 'block') for (const cc of significantChildren(c)) collectClassMember(collector, cc, cls, env);
        else collectClassMember(collector, c, cls, env);
      }
      break;
    case 'c_variable_declaration':
      collectVariables(collector, member, collector.scope, 'class', cls);
      break;
    case 'c_function_definition': case 'c_function_declaration': {
      const sig = collector.signatureOf(member, env, cls);
      if (!sig) break;
      const prev = cls.methods.get(sig.name);
      if (prev && prev.inPxd && !sig.inPxd) {
        cls.methods.set(sig.name, { ...prev, nogil: prev.nogil || sig.nogil });
      } else {
        cls.methods.set(sig.name, sig);
      }
      break;
    }
    case 'function_definition': {
      const name = field(member, 'name')?.text;
      const sig = name && isPureModeCFunction(raw) ? collector.signatureOf(member, env, cls) : undefined;
      if (sig) {
        // `@cython.cfunc` / `@cython.ccall` method of a cclass (pure Python mode)
        const prev = cls.methods.get(sig.name);
        cls.methods.set(sig.name, prev && prev.inPxd ? { ...prev, nogil: prev.nogil || sig.nogil } : sig);
      } else if (name && !cls.methods.has(name) && !cls.attributes.has(name)) {
        cls.attributes.set(name, PY_OBJECT);
      }
      break;
    }
    case 'expression_statement': {
      // cclass attributes in pure Python mode: `x = cython.declare(T)`, `cython.declare(x=T)`, `x: T` (a cdef
      // attribute: ExprStatNode.analyse_declarations, NameNode.declare_from_annotation in a C class scope);
      // `x: T = value` is a class attribute (a Python object), except in a cython dataclass (a field of type T)
      const pure = pureDeclarationOf(member);
      if (pure?.kind === 'declare' || pure?.kind === 'declare-names') {
        for (const { name, type } of declaredNames(pure)) cls.attributes.set(name.text, collector.resolveTypeSyntax(typeSyntaxOf(type.text)));
        break;
      }
      const a = significantChildren(member)[0];
      const left = a?.type === 'assignment' ? field(a, 'left') : null;
      const annotation = a ? field(a, 'type') : null;
      if (!a || !annotation || left?.type !== 'identifier') break;
      const dataclass = cls.dataclass === true;
      if (field(a, 'right') && !dataclass) break;
      const t = collector.resolveTypeSyntax(typeSyntaxOf(annotation.text));
      cls.attributes.set(left.text, t.kind === 'unknown' && !/^\s*cython\./.test(annotation.text) ? PY_OBJECT : t);
      break;
    }
    case 'property_definition': {
      const name = field(member, 'name')?.text;
      if (name && !cls.attributes.has(name)) cls.attributes.set(name, PY_OBJECT);
      break;
    }
    default:
      break;
  }
}

/** A class member declaring C attributes (`cdef int n`, `cdef public object o`, a `cdef:` block of them). */
function declaresAttributes(raw: Node): boolean {
  const member = undecorate(raw);
  if (member.type === 'c_variable_declaration') return true;
  if (member.type !== 'cdef_statement' && member.type !== 'cdef_block') return false;
  return significantChildren(member).some((c) => c.type === 'c_variable_declaration'
    || (c.type === 'block' && significantChildren(c).some(declaresAttributes)));
}

/** `file:///a/b/mod.pyx` → `mod.pxd` (for messages). */
function pxdNameOf(uri: string): string {
  const file = uri.split('/').pop() ?? uri;
  return file.endsWith('.pyx') ? `${file.slice(0, -4)}.pxd` : 'its .pxd';
}

/**
 * A cdef class of a module's own .pxd, copied for the .pyx being collected: the .pyx adds its `def` methods,
 * properties and `nogil` to the class (Symtab: the .pyx's class scope is the .pxd's, extended while compiling that
 * module), but the .pxd's other cimporters see the .pxd alone. Collecting into the shared object would leak the
 * .pyx's members into every module analysed after it (results depending on the order of analysis), and keep members
 * the .pyx no longer has.
 */
export function classCopyOf(sym: Symbol, scope: Scope): Symbol {
  if (sym.kind !== 'ext-class' || sym.type.kind !== 'py' || !sym.type.cls) return sym;
  const cls = sym.type.cls;
  const copy: ClassInfo = { ...cls, attributes: new RecordedAttributes(scope, sym.name, memberEntries(cls.attributes)),
    methods: new RecordedMethods(scope, sym.name, memberEntries(cls.methods)) };
  return { ...sym, type: { ...sym.type, cls: copy } };
}
