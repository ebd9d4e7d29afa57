export type { Diagnostic, Position, Severity } from './diagnostic.js';
export { compareDiagnostics, countDiagnostics, hasErrors, sortDiagnostics, summarize } from './diagnostic.js';
export { codeFrame, type FrameOptions, type FrameSpan } from './codeFrame.js';
export { renderText, type RenderTextOptions } from './renderText.js';
export { renderJson } from './renderJson.js';
export { escapeGithubData, escapeGithubProperty, renderGithub } from './renderGithub.js';
