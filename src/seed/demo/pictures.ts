import sharp from 'sharp';
import { SILHOUETTES, type Silhouette } from './silhouettes.js';

/**
 * Demo pictures drawn at seed time (nothing is downloaded): an SVG with a colour gradient, a
 * product outline and the product name, rasterised by sharp to a JPEG (what a product photo is).
 */
export interface PictureSpec {
  silhouette: Silhouette;
  /** Product colour (hex). */
  fill: string;
  /** Background hue 0–359. */
  hue: number;
  label: string;
  width?: number;
  height?: number;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A lighter version of a hex colour, for details drawn on top of the fill. */
function lighten(hex: string, amount = 0.35): string {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) return hex;
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (shift: number): string => {
    const v = (n >> shift) & 255;
    return Math.round(v + (255 - v) * amount).toString(16).padStart(2, '0');
  };
  return `#${channel(16)}${channel(8)}${channel(0)}`;
}

export function pictureSvg(spec: PictureSpec): string {
  const width = spec.width ?? 800;
  const height = spec.height ?? 800;
  const shape = SILHOUETTES[spec.silhouette].replaceAll('{fill}', spec.fill).replaceAll('{accent}', lighten(spec.fill));
  // The 800×800 drawing is scaled and centred in pictures of another shape (the hero banner).
  const scale = Math.min(width, height) / 800;
  const dx = (width - 800 * scale) / 2;
  const dy = (height - 800 * scale) / 2;
  const fontSize = spec.label.length > 24 ? 38 : 46;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">` +
    `<stop offset="0" stop-color="hsl(${spec.hue},55%,88%)"/><stop offset="1" stop-color="hsl(${(spec.hue + 40) % 360},45%,70%)"/>` +
    `</linearGradient></defs><rect width="${width}" height="${height}" fill="url(#bg)"/>` +
    `<g transform="translate(${dx},${dy}) scale(${scale})">${shape}` +
    `<text x="400" y="730" font-family="DejaVu Sans, Arial, sans-serif" font-size="${fontSize}" font-weight="bold" text-anchor="middle" fill="#1d1d1f">${escapeXml(spec.label)}</text></g></svg>`
  );
}

/** hsl → #rrggbb (shapes need hex colours to derive their lighter details). */
export function hslHex(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const f = (n: number): string => {
    const k = (n + hue / 30) % 12;
    const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

export async function renderPicture(spec: PictureSpec): Promise<Buffer> {
  return sharp(Buffer.from(pictureSvg(spec))).jpeg({ quality: 85 }).toBuffer();
}

/** A wallpaper (the file a digital product delivers): PNG, full HD. */
export async function renderWallpaper(hue: number, label: string): Promise<Buffer> {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="1920" height="1080"><defs><radialGradient id="g" cx="0.3" cy="0.3" r="1">` +
    `<stop offset="0" stop-color="hsl(${hue},70%,70%)"/><stop offset="1" stop-color="hsl(${(hue + 120) % 360},50%,20%)"/></radialGradient></defs>` +
    `<rect width="1920" height="1080" fill="url(#g)"/><text x="1860" y="1040" font-family="DejaVu Sans, sans-serif" font-size="36" text-anchor="end" fill="#fff" opacity="0.6">${escapeXml(label)}</text></svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 6 }).toBuffer();
}
