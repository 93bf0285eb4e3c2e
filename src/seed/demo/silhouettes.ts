/** Simple product outlines (SVG markup in an 800×800 box) for the generated demo pictures. */
export type Silhouette =
  | 'tee' | 'hoodie' | 'cap' | 'bag' | 'socks' | 'mug' | 'board' | 'apron' | 'poster' | 'cushion' | 'candle' | 'book' | 'screen'
  | 'category';

/** `{fill}` is replaced by the product colour, `{accent}` by a lighter shade for details. */
export const SILHOUETTES: Readonly<Record<Silhouette, string>> = {
  tee: '<path d="M250 190 L335 150 Q400 200 465 150 L550 190 L625 300 L545 340 L545 630 L255 630 L255 340 L175 300 Z" fill="{fill}"/>',
  hoodie:
    '<path d="M255 210 L330 160 Q400 120 470 160 L545 210 L630 470 L560 490 L545 360 L545 640 L255 640 L255 360 L240 490 L170 470 Z" fill="{fill}"/>' +
    '<path d="M335 165 Q400 250 465 165 Q400 200 335 165 Z" fill="{accent}"/><rect x="320" y="470" width="160" height="80" rx="20" fill="{accent}"/>',
  cap: '<path d="M220 470 Q230 250 400 240 Q570 250 580 470 Z" fill="{fill}"/><path d="M540 450 Q660 450 680 500 L560 500 Z" fill="{accent}"/><circle cx="400" cy="245" r="14" fill="{accent}"/>',
  bag: '<path d="M300 300 Q300 180 400 180 Q500 180 500 300" stroke="{fill}" stroke-width="24" fill="none"/><rect x="230" y="300" width="340" height="360" rx="12" fill="{fill}"/>',
  socks:
    '<path d="M250 180 L340 180 L340 470 Q340 560 250 590 L200 600 Q150 600 160 550 Q170 510 250 470 Z" fill="{fill}"/>' +
    '<path d="M440 200 L530 200 L530 490 Q530 580 440 610 L390 620 Q340 620 350 570 Q360 530 440 490 Z" fill="{accent}"/>',
  mug: '<rect x="240" y="250" width="260" height="340" rx="30" fill="{fill}"/><path d="M500 320 Q610 320 610 420 Q610 520 500 520" stroke="{fill}" stroke-width="36" fill="none"/>',
  board: '<rect x="230" y="200" width="340" height="440" rx="40" fill="{fill}"/><circle cx="400" cy="260" r="26" fill="{accent}"/>',
  apron: '<path d="M330 170 L470 170 L470 300 L560 330 L540 650 L260 650 L240 330 L330 300 Z" fill="{fill}"/><rect x="320" y="430" width="160" height="90" rx="10" fill="{accent}"/>',
  poster: '<rect x="250" y="160" width="300" height="420" fill="#fbfaf7"/><rect x="280" y="190" width="240" height="300" fill="{fill}"/><circle cx="440" cy="270" r="40" fill="{accent}"/>',
  cushion: '<path d="M220 230 Q400 190 580 230 Q620 400 580 570 Q400 610 220 570 Q180 400 220 230 Z" fill="{fill}"/>',
  candle: '<rect x="300" y="300" width="200" height="320" rx="24" fill="{fill}"/><path d="M400 210 Q430 260 400 290 Q370 260 400 210 Z" fill="#ffd27a"/><rect x="396" y="285" width="8" height="20" fill="#333"/>',
  book: '<rect x="260" y="170" width="280" height="400" rx="8" fill="{fill}"/><rect x="540" y="180" width="24" height="380" fill="{accent}"/><rect x="300" y="230" width="200" height="16" fill="{accent}"/>',
  screen: '<rect x="180" y="200" width="440" height="290" rx="16" fill="#222"/><rect x="200" y="220" width="400" height="250" fill="{fill}"/><rect x="350" y="490" width="100" height="70" fill="#333"/><rect x="290" y="560" width="220" height="18" rx="9" fill="#333"/>',
  category: '<circle cx="400" cy="360" r="190" fill="{fill}"/>',
};
