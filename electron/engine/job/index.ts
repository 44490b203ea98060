export * from './progress.js';
export * from './image-stream.js';
export * from './write-job.js';
