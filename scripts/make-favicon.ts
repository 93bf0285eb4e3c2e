/**
 * Regenerates public/favicon.ico from public/img/favicon.svg: a 32×32 PNG wrapped in an ICO
 * container (browsers have accepted PNG inside ICO for years). Run: npx tsx scripts/make-favicon.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';

const png = await sharp(readFileSync('public/img/favicon.svg')).resize(32, 32).png().toBuffer();
const header = Buffer.alloc(6 + 16);
header.writeUInt16LE(0, 0); // reserved
header.writeUInt16LE(1, 2); // type: icon
header.writeUInt16LE(1, 4); // one image
header.writeUInt8(32, 6); // width
header.writeUInt8(32, 7); // height
header.writeUInt8(0, 8); // palette
header.writeUInt8(0, 9); // reserved
header.writeUInt16LE(1, 10); // planes
header.writeUInt16LE(32, 12); // bits per pixel
header.writeUInt32LE(png.length, 14); // image size
header.writeUInt32LE(22, 18); // image offset
writeFileSync('public/favicon.ico', Buffer.concat([header, png]));
console.log(`public/favicon.ico written (${png.length + 22} bytes)`);
