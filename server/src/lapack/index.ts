/** BLAS/LAPACK routine database and renderers (no dependency on the server core). */
export * from './database';
export * from './declaration';
export * from './render-hover';
export * from './signature-info';
export * from './completion-items';
export * from './workspace-rules';
