/**
 * Child process for package.test.ts: runs electron-builder's deb and AppImage targets with the real
 * configuration up to the point where they would call fpm / appimagetool (tools electron-builder
 * downloads, which this offline machine cannot), and prints what they computed: the deb's fpm arguments
 * (its file list: source=destination) and the desktop entries. electron-builder's own hook for this is
 * `effectiveOptionComputed`: returning true stops the target there.
 *
 * Usage: node linux-targets.js <repo> <electronDist> <outDir>  →  one line `RESULT {json}` on stdout.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Arch, build, Platform, type Configuration } from 'electron-builder';

export interface LinuxTargetsResult {
  deb?: { args: string[]; desktop: string; afterInstall: string; afterRemove: string };
  appImage?: { desktop: string; desktopFileName: string };
}

async function main(): Promise<void> {
  const [repo, electronDist, output] = process.argv.slice(2);
  if (!repo || !electronDist || !output) throw new Error('usage: linux-targets <repo> <electronDist> <outDir>');
  const config = createRequire(__filename)(join(repo, 'electron-builder.config.cjs')) as Configuration;
  const result: LinuxTargetsResult = {};
  await build({
    projectDir: repo,
    targets: Platform.LINUX.createTarget(['deb', 'AppImage'], Arch.x64),
    config: { ...config, electronDist, npmRebuild: false, directories: { ...config.directories, output } },
    publish: 'never',
    effectiveOptionComputed: async (computed: unknown) => {
      if (Array.isArray(computed)) {
        const [args, desktopFile] = computed as [string[], string];
        const script = (flag: string): string => readFileSync(args[args.indexOf(flag) + 1] ?? '', 'utf8');
        result.deb = { args, desktop: readFileSync(desktopFile, 'utf8'), afterInstall: script('--after-install'), afterRemove: script('--after-remove') };
      } else if (computed && typeof computed === 'object' && 'desktop' in computed) {
        const c = computed as { desktop: string; desktopFileName: string };
        result.appImage = { desktop: c.desktop, desktopFileName: c.desktopFileName };
      }
      return true;
    },
  });
  process.stdout.write(`\nRESULT ${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
