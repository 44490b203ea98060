export * from './stream-verify.js';
export * from './fat32.js';
export * from './device-reader.js';
