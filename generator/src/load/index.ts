export { loadManifest, type LoadedManifest } from './loadManifest.js';
export type { Locator } from './locator.js';
export { formatPath, parseJsonPointer, type JsonPath } from './jsonPath.js';
export { MAX_DEPTH } from './inspectDocument.js';
