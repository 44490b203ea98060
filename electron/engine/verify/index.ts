export * from './stream-verify.js';
