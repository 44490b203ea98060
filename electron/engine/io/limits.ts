/**
 * FAT32's file size limit, as one parameter: 4 GiB − 1, or less when `$SEVENSTICK_TEST_FAT32_MAX_FILE`
 * (bytes) says so. That variable exists for tests only: it lets small fixtures prove the paths a real
 * ≥ 4 GiB install.wim takes ("too big unless only one edition is kept"). It can only lower the limit.
 */
export const FAT32_MAX_FILE_SIZE = 0xffffffff;

export const FAT32_MAX_FILE_ENV = 'SEVENSTICK_TEST_FAT32_MAX_FILE';

/** The largest file the stick's FAT32 may hold (FAT32_MAX_FILE_SIZE unless the test variable lowers it). */
export function fat32MaxFileSize(env: NodeJS.ProcessEnv = process.env): number {
  const v = env[FAT32_MAX_FILE_ENV];
  if (v === undefined || !/^\d+$/.test(v)) return FAT32_MAX_FILE_SIZE;
  return Math.min(FAT32_MAX_FILE_SIZE, Number(v));
}
