/** The registry of LSP features the server offers besides diagnostics (see feature.ts). */
import type { ServerCapabilities } from 'vscode-languageserver';
import type { Feature } from './feature';

export const features: readonly Feature[] = [];

export function featureCapabilities(list: readonly Feature[] = features): Partial<ServerCapabilities> {
  return Object.assign({}, ...list.map((f) => f.capabilities)) as Partial<ServerCapabilities>;
}
