/**
 * Call hierarchy, incoming and outgoing, on the same model as navigation: each call is labelled with the GIL state
 * it runs in (held, released by `with nogil:`/`prange`, or inside a nogil function), so a user sees which callers
 * reach a function from nogil code. Incoming calls come from the references search (the workspace), outgoing ones
 * from the calls in the function's body. Items carry the request's document and position (`data`), from which the
 * follow-up requests resolve the function again.
 */
import {
  type CallHierarchyIncomingCall, CallHierarchyIncomingCallsRequest, type CallHierarchyItem, type CallHierarchyOutgoingCall, type Position,
  type Range, SymbolKind,
} from 'vscode-languageserver';
import type { DeclLocation } from '../model/c-types';
import { contextAt } from '../model/document-model';
import type { GilState } from '../model/gil-state';
import { type Node, field, namedChildren } from '../model/syntax';
import { guarded } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';
import { declRange, type NavRequest, withTarget } from './navigation-request';
import { type NavContext, type NavTarget, locOf, resolveTarget } from './navigation-targets';
import { findReferences } from './reference-search';
import { type RequestProgress, requestProgress } from './work-progress';

interface ItemData {
  uri: string;
  position: Position;
}

const FUNCTION_TYPES = new Set(['function_definition', 'c_function_definition', 'lambda']);

function isFunctionTarget(t: NavTarget | undefined): t is NavTarget {
  const kind = t?.symbol?.kind;
  if (kind === 'c-function' || kind === 'py-function') return true;
  return !t?.symbol && !!t?.declaration && !t.file; // a method (member target)
}

function gilLabel(state: GilState): string {
  switch (state.kind) {
    case 'held': return 'GIL held';
    case 'released': return 'GIL released';
    case 'nogil-function': return 'in a nogil function';
  }
}

function item(name: string, loc: DeclLocation, range: Range, detail: string, data: ItemData,
  kind: SymbolKind = SymbolKind.Function):
  CallHierarchyItem {
  return { name, kind, uri: loc.uri, range, selectionRange: declRange(loc), detail, data };
}

async function prepare(deps: FeatureDeps, uri: string, position: Position): Promise<CallHierarchyItem[] | null> {
  const out = await withTarget(deps, uri, position, (req) => {
    const t = req.target;
    if (!isFunctionTarget(t) || !t.declaration) return null;
    const where = t.implementations[0] ?? t.declaration;
    const sig = t.symbol?.signature;
    const detail = sig ? `${sig.origin}${sig.nogil ? ' nogil' : ''}` : t.symbol?.kind === 'py-function' ? 'def' : 'method';
    return [item(t.name, where, declRange(where), detail, { uri, position })];
  });
  return out ?? null;
}

function dataOf(item: CallHierarchyItem): ItemData | undefined {
  const d = item?.data as Partial<ItemData> | undefined;
  return d && typeof d.uri === 'string' && d.position ? { uri: d.uri, position: d.position } : undefined;
}

/** The function (or module) that holds a node: its name node, or undefined at module level. */
function enclosingFunction(node: Node): Node | undefined {
  for (let n: Node | null = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return undefined;
}

/** The identifier a call's callee ends with (`f(...)`, `m.f(...)`, `self.f(...)`). */
function calleeName(call: Node): Node | undefined {
  const fn = field(call, 'function');
  if (fn?.type === 'identifier') return fn;
  if (fn?.type === 'attribute') return field(fn, 'attribute') ?? undefined;
  return undefined;
}

function isCallee(id: Node): Node | undefined {
  const p = id.parent;
  if (p?.type === 'call' && field(p, 'function')?.id === id.id) return p;
  if (p?.type === 'attribute' && field(p, 'attribute')?.id === id.id && p.parent?.type === 'call'
    && field(p.parent, 'function')?.id === p.id) return p.parent;
  return undefined;
}

function rangeOf(ctx: NavContext, node: Node): Range {
  const l = locOf(ctx.uri, node);
  return declRange(l);
}

async function incoming(deps: FeatureDeps, it: CallHierarchyItem, isCancelled: () => boolean,
  progress?: RequestProgress): Promise<CallHierarchyIncomingCall[] | null> {
  const data = dataOf(it);
  if (!data) return null;
  const out = await withTarget(deps, data.uri, data.position, async (req: NavRequest) => {
    if (!isFunctionTarget(req.target)) return [];
    const callers = new Map<string, CallHierarchyIncomingCall & { states: Set<string> }>();
    await findReferences(deps, req, { includeDeclaration: false, isCancelled,
      ...(progress ? { progress: (done: number, total: number) => progress.report(done, total) } : {}),
      onMatch: (_o, ctx, node) => {
      const call = isCallee(node);
      if (!call) return;
      const fn = enclosingFunction(call);
      const nameNode = fn ? field(fn, 'name') : undefined;
      const state = gilLabel(contextAt(ctx.model, ctx.root, call.startIndex).state);
      const key = `${ctx.uri}#${fn?.startIndex ?? -1}`;
      let entry = callers.get(key);
      if (!entry) {
        const loc = locOf(ctx.uri, nameNode ?? call);
        entry = { from: item(nameNode?.text ?? '<module>', loc, fn ? rangeOf(ctx, fn) : declRange(loc), '',
          { uri: ctx.uri, position: { line: loc.line, character: loc.character } },
          fn ? SymbolKind.Function : SymbolKind.Module), fromRanges: [], states: new Set() };
        callers.set(key, entry);
      }
      entry.fromRanges.push(rangeOf(ctx, node));
      entry.states.add(state);
    } });
    return [...callers.values()].map(({ states, ...c }) => ({ ...c, from: { ...c.from,
      detail: `calls it: ${[...states].join(', ')}` } }));
  });
  return out ?? null;
}

async function outgoing(deps: FeatureDeps, it: CallHierarchyItem): Promise<CallHierarchyOutgoingCall[] | null> {
  const data = dataOf(it);
  if (!data) return null;
  const out = await withTarget(deps, data.uri, data.position, (req: NavRequest) => {
    const t = req.target;
    if (!isFunctionTarget(t)) return [];
    // the function's body: its definition in this document
    const here = [...t.implementations, ...(t.declaration ? [t.declaration] : [])].find((l) => l.uri === req.ctx.uri);
    if (!here) return [];
    const offset = req.analysis.doc.textDocument.offsetAt({ line: here.line, character: here.character });
    const nameNode = req.ctx.root.descendantForIndex(offset, offset);
    const fn = nameNode?.parent && FUNCTION_TYPES.has(nameNode.parent.type) ? nameNode.parent : undefined;
    const body = fn ? field(fn, 'body') : undefined;
    if (!body) return [];
    const callees = new Map<string, CallHierarchyOutgoingCall & { states: Set<string> }>();
    const visit = (n: Node): void => {
      for (const c of namedChildren(n)) {
        if (FUNCTION_TYPES.has(c.type) || c.type === 'class_definition') continue; // nested scopes call on their own
        if (c.type === 'call') {
          const id = calleeName(c);
          const target = id ? resolveTarget(req.ctx, id) : undefined;
          if (id && target && isFunctionTarget(target) && target.declaration) {
            const state = gilLabel(contextAt(req.ctx.model, req.ctx.root, c.startIndex).state);
            let entry = callees.get(target.key);
            if (!entry) {
              const where = target.implementations[0] ?? target.declaration;
              const p = req.analysis.doc.textDocument.positionAt(id.startIndex);
              entry = { to: item(target.name, where, declRange(where), '', { uri: req.ctx.uri, position: p }),
                fromRanges: [], states: new Set() };
              callees.set(target.key, entry);
            }
            entry.fromRanges.push(rangeOf(req.ctx, id));
            entry.states.add(state);
          }
        }
        visit(c);
      }
    };
    visit(body);
    return [...callees.values()].map(({ states, ...c }) => ({ ...c, to: { ...c.to,
      detail: `called: ${[...states].join(', ')}` } }));
  });
  return out ?? null;
}

export const callHierarchyFeature: Feature = {
  id: 'call-hierarchy',
  capabilities: { callHierarchyProvider: true },
  register(connection, deps) {
    connection.languages.callHierarchy.onPrepare((p) => guarded(deps, 'prepareCallHierarchy', null,
      () => prepare(deps, p.textDocument?.uri, p.position)));
    connection.onRequest(CallHierarchyIncomingCallsRequest.type, (p, token) => {
      const progress = requestProgress(connection, 'Cython Lens: finding callers', p);
      return guarded(deps, 'incomingCalls', null, () => incoming(deps, p.item, () => token.isCancellationRequested,
        progress)).finally(() => progress.end());
    });
    connection.languages.callHierarchy.onOutgoingCalls((p) => guarded(deps, 'outgoingCalls', null,
      () => outgoing(deps, p.item)));
  },
};
