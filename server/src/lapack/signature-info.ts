/** LSP SignatureInformation for a BLAS/LAPACK routine: scipy's declaration with per-parameter label offsets. */
import type { MarkupContent, ParameterInformation, SignatureInformation } from 'vscode-languageserver';
import { LapackParam, LapackRoutine } from './database';
import { declarationParts, expandType, intentLabel } from './declaration';

export interface SignatureOptions {
  readonly typedefs?: Readonly<Record<string, string>>;
}

function paramDoc(param: LapackParam, typedefs: Readonly<Record<string, string>> | undefined): MarkupContent {
  const expanded = typedefs === undefined ? param.type : expandType(param.type, typedefs);
  const type = expanded === param.type ? `\`${param.type}\`` : `\`${param.type}\` (\`${expanded}\`)`;
  const head = `${type} · **${intentLabel(param)}**` + (param.fortranName ? ` · LAPACK \`${param.fortranName}\`` : '');
  const body = param.doc !== undefined ? `\n\n\`\`\`text\n${param.doc}\n\`\`\`` : '\n\nNot documented by LAPACK.';
  return { kind: 'markdown', value: head + body };
}

/** The signature; `activeParameter` is left to the caller (it knows the cursor). */
export function routineSignatureInformation(routine: LapackRoutine, options: SignatureOptions = {}): SignatureInformation {
  const parts = declarationParts(routine);
  const parameters: ParameterInformation[] = routine.params.map((p, i) => ({
    label: [parts.paramOffsets[i][0], parts.paramOffsets[i][1]] as [number, number],
    documentation: paramDoc(p, options.typedefs),
  }));
  const documentation: MarkupContent = {
    kind: 'markdown',
    value: `${routine.summary}\n\n*scipy.linalg.${routine.module}* · \`${parts.qualifiers}\` · [reference](${routine.url})`,
  };
  return { label: parts.label, documentation, parameters };
}
