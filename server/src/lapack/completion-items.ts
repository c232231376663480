/** CompletionItems for the routines of scipy.linalg.cython_lapack or cython_blas. */
import { CompletionItemKind, InsertTextFormat } from 'vscode-languageserver-types';
import type { CompletionItem } from 'vscode-languageserver';
import { LapackDatabase, LapackModule, LapackRoutine } from './database';

export interface CompletionOptions {
  /** Insert `name(${1:&m}, ${2:&n}, ...)` as a snippet instead of the bare name (default false). */
  readonly snippets?: boolean;
}

/** Data attached to each item, for a later completionItem/resolve. */
export interface LapackCompletionData {
  readonly lapackRoutine: string;
  readonly module: LapackModule;
}

function snippetFor(routine: LapackRoutine): string {
  const args = routine.params.map((p, i) => {
    const arg = p.type.trim().endsWith('*') ? `&${p.name}` : p.name;
    return `\${${i + 1}:${arg.replace(/[$}\\]/g, (c) => `\\${c}`)}}`;
  });
  return `${routine.name}(${args.join(', ')})`;
}

export function routineCompletionItem(routine: LapackRoutine, options: CompletionOptions = {}): CompletionItem {
  const data: LapackCompletionData = { lapackRoutine: routine.name, module: routine.module };
  const item: CompletionItem = {
    label: routine.name,
    kind: CompletionItemKind.Function,
    detail: routine.summary,
    labelDetails: { description: routine.module },
    documentation: { kind: 'markdown', value: `\`\`\`cython\ncdef ${routine.decl}\n\`\`\`\n\n${routine.summary}` },
    sortText: routine.name,
    filterText: routine.name,
    data,
  };
  if (options.snippets === true) {
    item.insertText = snippetFor(routine);
    item.insertTextFormat = InsertTextFormat.Snippet;
  }
  return item;
}

/** All routines of a module, sorted by name, purpose as detail. */
export function routineCompletionItems(db: LapackDatabase, module: LapackModule, options: CompletionOptions = {}): CompletionItem[] {
  return db.routines(module).map((r) => routineCompletionItem(r, options));
}
