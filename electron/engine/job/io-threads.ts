/**
 * Device jobs keep several device I/Os in flight while the stream reads the image: libuv's default
 * 4 threads would queue the image reads behind them (about 20% slower writes). Entry points that run
 * jobs (the CLI, the privileged helper) call this before their first asynchronous file operation,
 * since libuv sizes its pool once, on first use.
 */
export const IO_THREADS = 8;

export function widenIoThreadPool(): void {
  process.env.UV_THREADPOOL_SIZE ??= String(IO_THREADS);
}
