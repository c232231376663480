/** A GIL finding as cached per definition: rows relative to the definition's first row (see gil-check.ts). */
export interface CachedFinding {
  code: string;
  message: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  /** Rows relative to the statement's first row; columns absolute. */
  start: { row: number; column: number };
  end: { row: number; column: number };
  releasedBy?: { start: { row: number; column: number }; end: { row: number; column: number }; what: string };
  related?: { uri: string; start: { row: number; column: number }; end: { row: number; column: number };
    message: string; relative: boolean }[];
  data?: Record<string, unknown>;
}
