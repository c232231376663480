/** The directive reader lives in the model (type inference depends on `infer_types`); re-exported for annotations. */
export * from '../model/directives';
