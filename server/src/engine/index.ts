export { Engine, ENGINE_CODES, SKIPPED_CODE, TOO_DEEP_CODE, type AnalysisReport, type AnalyzeOptions, type EngineOptions } from './engine';
export * from './check-types';
export { applySeverityOverrides, severityFromName, severityName } from './severity-overrides';
