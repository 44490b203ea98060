// Renders SevenStick's icon sets from the one source, assets/icons/sevenstick.svg (`npm run icons`):
//   assets/icons/png/<N>x<N>.png  N = 16 … 1024 (Linux hicolor theme, window icons; electron-builder's linux.icon)
//   assets/icons/icon.png         1024 px (electron-builder's default icon, the window icon)
//   assets/icons/icon.ico         Windows (16 … 256; the NSIS installer and the .exe)
//   assets/icons/icon.icns        macOS (16 … 1024)
// The outputs are committed; re-run after editing the SVG. sharp (librsvg) rasterises, png2icons packs.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import png2icons from 'png2icons';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = join(ROOT, 'assets', 'icons');
const SOURCE = join(DIR, 'sevenstick.svg');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

/** One square PNG of the SVG at `size` px, rasterised at that size (not scaled down from a big bitmap). */
async function render(svg, size) {
  // librsvg renders at the SVG's own width/height scaled by density/72; pick the density that lands on size.
  const meta = await sharp(svg).metadata();
  const density = Math.max(1, Math.min(2400, (72 * size) / (meta.width ?? size)));
  return sharp(svg, { density }).resize(size, size, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } }).png({ compressionLevel: 9 }).toBuffer();
}

async function main() {
  const svg = await readFile(SOURCE);
  await mkdir(join(DIR, 'png'), { recursive: true });
  const pngs = new Map();
  for (const size of SIZES) {
    const png = await render(svg, size);
    pngs.set(size, png);
    await writeFile(join(DIR, 'png', `${size}x${size}.png`), png);
  }
  const big = pngs.get(1024);
  await writeFile(join(DIR, 'icon.png'), big);
  const ico = png2icons.createICO(big, png2icons.BICUBIC2, 0, false, true);
  const icns = png2icons.createICNS(big, png2icons.BICUBIC2, 0);
  if (!ico || !icns) throw new Error('png2icons could not convert the 1024 px PNG');
  await writeFile(join(DIR, 'icon.ico'), ico);
  await writeFile(join(DIR, 'icon.icns'), icns);
  console.log(`icons: ${SIZES.length} PNGs, icon.ico (${ico.length} bytes), icon.icns (${icns.length} bytes) from ${SOURCE}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
