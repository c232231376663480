import pkg from '../../package.json';

/** The extension / CLI / server version (from the root package.json). */
export const VERSION: string = pkg.version;
