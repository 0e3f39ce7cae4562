// Renders public/icon.svg into the raster icons browsers and home screens ask for
// (favicon.ico with 16/32/48 px PNGs inside, apple-touch-icon.png, icon-192/512.png) in
// Debian's Chromium, so the PNGs always match the SVG. Run after changing the SVG:
//   node scripts/render-icons.mjs
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const root = path.resolve(import.meta.dirname, "..");
const svg = fs.readFileSync(path.join(root, "public", "icon.svg"), "utf8");
const browser = await chromium.launch({ executablePath: process.env.HANGAR_CHROMIUM ?? "/usr/bin/chromium" });
const page = await browser.newPage();

async function png(size) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body></html>`,
  );
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

for (const [name, size] of [
  ["apple-touch-icon.png", 180],
  ["icon-192.png", 192],
  ["icon-512.png", 512],
]) {
  fs.writeFileSync(path.join(root, "public", name), await png(size));
}
// ICO: a 6-byte header, one 16-byte entry per image, then the PNGs (PNG inside ICO is valid
// since Windows Vista and in every browser).
const images = [];
for (const s of [16, 32, 48]) images.push({ s, data: await png(s) });
const head = Buffer.alloc(6 + 16 * images.length);
head.writeUInt16LE(0, 0);
head.writeUInt16LE(1, 2);
head.writeUInt16LE(images.length, 4);
let offset = head.length;
images.forEach(({ s, data }, i) => {
  const e = 6 + 16 * i;
  head.writeUInt8(s, e);
  head.writeUInt8(s, e + 1);
  head.writeUInt16LE(1, e + 4); // colour planes
  head.writeUInt16LE(32, e + 6); // bits per pixel
  head.writeUInt32LE(data.length, e + 8);
  head.writeUInt32LE(offset, e + 12);
  offset += data.length;
});
fs.writeFileSync(path.join(root, "public", "favicon.ico"), Buffer.concat([head, ...images.map((i) => i.data)]));
await browser.close();
console.log("[icons] wrote favicon.ico, apple-touch-icon.png, icon-192.png, icon-512.png");
