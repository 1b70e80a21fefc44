// Draws the app icons (PNG) and the favicon (SVG) into public/icons/.
// No image tools needed: the mark is rectangles and one triangle,
// rasterised with 4x4 supersampling and written as PNG with node:zlib.
// Run with `npm run icons` after changing the mark; the output is committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const kOut = new URL('../public/icons/', import.meta.url);
const kBlue = [0x1d, 0x3f, 0x72];
const kWhite = [0xff, 0xff, 0xff];

// The mark in a 48x48 box, as in src/app/BrandMark.tsx.
const kRects = [
  [10, 18.5, 28, 2.5],
  [12.5, 22.5, 4, 12],
  [19, 22.5, 4, 12],
  [25, 22.5, 4, 12],
  [31.5, 22.5, 4, 12],
  [9, 36, 30, 3],
];
const kTriangle = [[24, 9], [38, 17], [10, 17]];

function inTriangle(x, y) {
  const [[ax, ay], [bx, by], [cx, cy]] = kTriangle;
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  const neg = d1 < 0 || d2 < 0 || d3 < 0;
  const pos = d1 > 0 || d2 > 0 || d3 > 0;
  return !(neg && pos);
}

function inMark(x, y) {
  if (inTriangle(x, y)) return true;
  return kRects.some(([rx, ry, w, h]) => x >= rx && x < rx + w && y >= ry && y < ry + h);
}

function inRoundedRect(x, y, size, radius) {
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

// fullBleed: square background to the edges (maskable, apple-touch);
// markScale: the mark's share of the icon (a maskable icon keeps it inside
// the 80% safe zone).
function render(size, { fullBleed, markScale }) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const u = ((px + (sx + 0.5) / n) / size) * 48;
          const v = ((py + (sy + 0.5) / n) / size) * 48;
          if (!fullBleed && !inRoundedRect(u, v, 48, 10)) continue;
          bg++;
          const mu = 24 + (u - 24) / markScale;
          const mv = 24 + (v - 24) / markScale;
          if (inMark(mu, mv)) fg++;
        }
      }
      const i = (py * size + px) * 4;
      const total = n * n;
      for (let c = 0; c < 3; c++) {
        pixels[i + c] = bg === 0 ? 0 : Math.round((kBlue[c] * (bg - fg) + kWhite[c] * fg) / bg);
      }
      pixels[i + 3] = Math.round((255 * bg) / total);
    }
  }
  return png(size, pixels);
}

const kCrcTable = Array.from({ length: 256 }, (_, k) => {
  let c = k;
  for (let j = 0; j < 8; j++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = kCrcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const kSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48">
<rect width="48" height="48" rx="10" fill="#1d3f72"/>
<path d="M24 9 38 17H10Z" fill="#fff"/>
${kRects.map(([x, y, w, h]) => `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="#fff"/>`).join('\n')}
</svg>
`;

mkdirSync(kOut, { recursive: true });
const outputs = {
  'icon-192.png': render(192, { fullBleed: false, markScale: 1 }),
  'icon-512.png': render(512, { fullBleed: false, markScale: 1 }),
  'icon-maskable-192.png': render(192, { fullBleed: true, markScale: 0.72 }),
  'icon-maskable-512.png': render(512, { fullBleed: true, markScale: 0.72 }),
  'apple-touch-icon.png': render(180, { fullBleed: true, markScale: 0.85 }),
  'icon.svg': Buffer.from(kSvg),
};
for (const [name, data] of Object.entries(outputs)) {
  writeFileSync(new URL(name, kOut), data);
  console.log(`${name}: ${data.length} bytes`);
}
