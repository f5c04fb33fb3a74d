// Draws the toolbar icons (a page with text lines and a check mark) into icons/*.png.
// Plain node, no image library: the shapes are few, so each pixel is sampled directly.
// Run `npm run icons` after changing the drawing; the PNGs are committed.

import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const SIZES = [16, 32, 48, 128];
const SAMPLES = 4; // per axis, for anti-aliased edges

const BLUE = [30, 58, 138];
const WHITE = [255, 255, 255];
const GREEN = [22, 163, 74];

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

function nearSegment(x, y, ax, ay, bx, by, width) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= width / 2;
}

// Colour at a point of the unit square, or null for transparent.
function colourAt(x, y) {
  if (nearSegment(x, y, 0.52, 0.72, 0.64, 0.84, 0.09) || nearSegment(x, y, 0.64, 0.84, 0.88, 0.56, 0.09)) return GREEN;
  if (inRoundedRect(x, y, 0.2, 0.1, 0.74, 0.9, 0.06)) {
    for (const lineY of [0.27, 0.41, 0.55]) {
      if (inRoundedRect(x, y, 0.3, lineY - 0.035, 0.64, lineY + 0.035, 0.03)) return BLUE;
    }
    return WHITE;
  }
  if (inRoundedRect(x, y, 0.02, 0.02, 0.98, 0.98, 0.2)) return BLUE;
  return null;
}

function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function png(size) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let py = 0; py < size; py += 1) {
    raw[py * (size * 4 + 1)] = 0; // filter: none
    for (let px = 0; px < size; px += 1) {
      let r = 0; let g = 0; let b = 0; let a = 0;
      for (let sy = 0; sy < SAMPLES; sy += 1) {
        for (let sx = 0; sx < SAMPLES; sx += 1) {
          const colour = colourAt((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size);
          if (colour) { r += colour[0]; g += colour[1]; b += colour[2]; a += 1; }
        }
      }
      const offset = py * (size * 4 + 1) + 1 + px * 4;
      raw[offset] = a ? Math.round(r / a) : 0;
      raw[offset + 1] = a ? Math.round(g / a) : 0;
      raw[offset + 2] = a ? Math.round(b / a) : 0;
      raw[offset + 3] = Math.round((255 * a) / (SAMPLES * SAMPLES));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

for (const size of SIZES) {
  writeFileSync(new URL(`../icons/icon-${size}.png`, import.meta.url), png(size));
}
console.log(`wrote ${SIZES.map((s) => `icons/icon-${s}.png`).join(", ")}`);
