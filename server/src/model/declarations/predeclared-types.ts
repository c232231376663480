/**
 * The names of the types a module declares (structs, enums, C++ classes, fused types, cdef classes, cypclasses,
 * `@cython.cclass` classes), defined before any declaration is collected so that declarations may refer to types
 * defined further down; their members are collected later (classes.ts, structs-enums.ts, typedefs.ts).
 */
import type { ClassInfo } from '../c-types';
import { hasCClassDecorator } from '../pure-classes';
import { RecordedAttributes, RecordedMembers, RecordedMethods } from '../recorded-methods';
import { type Node, field, locationOf, significantChildren, undecorate } from '../syntax';
import type { Collecting } from './collecting';

/** Defines the names of the types declared in `root` (their members are collected later). */
export function predeclareTypes(collector: Collecting, root: Node): void {
  const visit = (stmts: readonly Node[]): void => {
    for (const raw of stmts) {
      const s = undecorate(raw);
      switch (s.type) {
        case 'struct_definition': case 'enum_definition': case 'cppclass_definition':
        case 'fused_type_definition': case 'cdef_class_definition': case 'cypclass_definition': {
          const name = lastSegment(field(s, 'name')?.text);
          if (name && !collector.scope.lookupLocal(name)) defineTypeName(collector, s, name);
          // Cython+: a cypclass nested in a cypclass is named without its outer class inside it; we give it a
          // module-level name (unless that name is taken)
          if (s.type === 'cypclass_definition') {
            const body = field(s, 'body');
            if (body) visit(significantChildren(body).filter((c) => c.type === 'cypclass_definition'));
          }
          break;
        }
        case 'class_definition': {
          // `@cython.cclass class A:` (pure Python mode) is a cdef class
          const name = field(s, 'name')?.text;
          if (name && hasCClassDecorator(s) && !collector.scope.lookupLocal(name)) defineTypeName(collector, s, name);
          break;
        }
        case 'cdef_statement': case 'cdef_block': case 'extern_block': case 'ctypedef_statement':
          visit(significantChildren(s).flatMap((c) => (c.type === 'block' ? significantChildren(c) : [c])));
          break;
        case 'block':
          visit(significantChildren(s));
          break;
        default:
          break;
      }
    }
  };
  visit(significantChildren(root));
}

export function defineTypeName(collector: Collecting, node: Node, name: string): void {
  const loc = locationOf(collector.ctx.uri, field(node, 'name') ?? node);
  if (node.type === 'cypclass_definition') {
    // Cython+: a cypclass is a C++ class (Nodes.CppClassNode with cypclass=True); using it needs no GIL.
    const cls: ClassInfo = { name, attributes: new RecordedMembers(collector.scope, name),
      methods: new RecordedMembers(collector.scope, name), location: loc,
      cypclass: { activable: field(node, 'activable') !== null,
        templates: (field(node, 'template_parameters')?.namedChildren ?? []).filter((c) => c !== null).filter((c) => c.type === 'identifier').map((c) => c.text) } };
    collector.scope.define({ name, kind: 'c-type', type: { kind: 'cpp', name, cls, args: [], cypclass: true },
      binding: 'module', location: loc });
  } else if (node.type === 'cdef_class_definition' || node.type === 'class_definition') {
    // reads of its methods and attributes are recorded one by one (recorded-methods.ts)
    const cls: ClassInfo = { name, attributes: new RecordedAttributes(collector.scope, name),
      methods: new RecordedMethods(collector.scope, name), location: loc };
    collector.scope.define({ name, kind: 'ext-class', type: { kind: 'py', name, cls }, binding: 'module', location: loc });
  } else if (node.type === 'struct_definition') {
    collector.scope.define({
      name, kind: 'c-type', type: { kind: 'struct', info: { name, fields: new RecordedMembers(collector.scope, name), location: loc } }, binding: 'module',
      location: loc,
    });
  } else if (node.type === 'enum_definition') {
    collector.scope.define({ name, kind: 'c-type', type: { kind: 'enum', name }, binding: 'module', location: loc });
  } else if (node.type === 'cppclass_definition') {
    const cls: ClassInfo = { name, attributes: new RecordedMembers(collector.scope, name),
      methods: new RecordedMembers(collector.scope, name), location: loc };
    collector.scope.define({ name, kind: 'c-type', type: { kind: 'cpp', name, cls, args: [] }, binding: 'module',
      location: loc });
  }
}

export function lastSegment(name: string | undefined): string | undefined {
  return name?.split('.').pop()?.trim();
}
