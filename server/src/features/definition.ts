/**
 * Go to definition, declaration and implementation. `cimport a.b` and `include "f.pxi"` open the file; a name
 * declared in a .pxd goes there (declaration) and to its body in the .pyx (implementation); definition prefers a
 * body in the current document, else the declaration (F12 on a cimported function opens its .pxd).
 */
import type { Definition, Location, TextDocumentPositionParams } from 'vscode-languageserver';
import { guarded } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';
import type { NavTarget } from './navigation-targets';
import { declLocation, withTarget } from './navigation-request';

type Kind = 'definition' | 'declaration' | 'implementation';

export function locationsOf(target: NavTarget, kind: Kind, currentUri: string): Location[] {
  const decl = target.declaration ? [declLocation(target.declaration)] : [];
  if (target.file && !target.symbol) return decl;
  if (target.file && kind === 'definition') return [declLocation({ uri: target.file, line: 0, character: 0, endLine: 0,
    endCharacter: 0 })];
  const impls = target.implementations.map(declLocation);
  switch (kind) {
    case 'declaration': return decl;
    case 'implementation': return impls.length ? impls : decl;
    case 'definition': {
      const here = impls.filter((l) => l.uri === currentUri);
      return here.length ? here : decl.length ? decl : impls;
    }
  }
}

async function answer(deps: FeatureDeps, params: TextDocumentPositionParams, kind: Kind): Promise<Definition | null> {
  const uri = params?.textDocument?.uri;
  const out = await withTarget(deps, uri, params?.position, ({ target }) => (target ? locationsOf(target, kind, uri)
    : []));
  return out && out.length ? out : null;
}

export const definitionFeature: Feature = {
  id: 'definition',
  capabilities: { definitionProvider: true, declarationProvider: true, implementationProvider: true },
  register(connection, deps) {
    connection.onDefinition((p) => guarded(deps, 'definition', null, () => answer(deps, p, 'definition')));
    connection.onDeclaration((p) => guarded(deps, 'declaration', null, () => answer(deps, p, 'declaration')));
    connection.onImplementation((p) => guarded(deps, 'implementation', null, () => answer(deps, p, 'implementation')));
  },
};
