/** The capabilities of Cython+ references in plain words, for the second line of the cypclass messages. */
import type { CypclassQualifier } from '../../model/c-types';

const PLAIN: Record<CypclassQualifier | 'local', string> = {
  local: 'thread-local (it may have other references in this thread)',
  iso: 'isolated (reachable through this reference only)',
  'iso~': 'an isolated object being handed over',
  'iso->': 'reached through an isolated object (it must stay inside it)',
  lock: 'shared under a lock',
  'lock->': 'reached through a locked object (it must stay inside it)',
  locked: 'locked by this thread',
  active: 'an active object (its methods run as messages)',
  const: 'read-only',
};

export function plainCapability(q: CypclassQualifier | undefined): string {
  return PLAIN[q ?? 'local'];
}

/** One sentence: why a reference of capability `from` cannot be used where `to` is expected, and what to do. */
export function whyRefused(what: string, from: CypclassQualifier | undefined, to: CypclassQualifier | undefined,
  source: string): string {
  if (from === 'iso' && to === 'iso') {
    return `${what} is ${PLAIN.iso}: a second reference would break that; hand it over with \`consume ${source}\`.`;
  }
  if (to === 'iso->' || to === 'lock->') {
    return `${what} is ${plainCapability(from)}: an object stored in or passed to an ${to === 'iso->' ? 'isolated' : 'locked'} `
      + 'object must be handed over with `consume`.';
  }
  const how = from === 'iso' ? `hand it over with \`consume ${source}\``
    : !from ? `hand it over with \`consume ${source}\` (then it must have no other reference)`
      : from === 'iso->' || from === 'lock->' ? 'it cannot be aliased outside its owner'
        : 'its capability cannot change';
  return `${what} is ${plainCapability(from)}: it cannot become ${plainCapability(to)}; ${how}.`;
}
