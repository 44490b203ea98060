export * from './image-stream.js';
export * from './raw-stream.js';
export * from './windows-stick.js';
export * from './verify-stick.js';
export * from './write-job.js';
export * from './io-threads.js';
export * from './windows-customization.js';
