/**
 * The widths an image is stored at: the standard widths smaller than the original, plus the
 * original's own width when it is not above the largest (huge originals are not served as is).
 * Pure and shared by storing and by the <picture> helper, so the URLs it builds always exist.
 */
export const STANDARD_WIDTHS: readonly number[] = [320, 640, 960, 1280];
const LARGEST = STANDARD_WIDTHS[STANDARD_WIDTHS.length - 1] ?? 1280;

export function variantWidths(originalWidth: number): number[] {
  const widths = STANDARD_WIDTHS.filter((w) => w < originalWidth);
  if (originalWidth <= LARGEST) widths.push(originalWidth);
  return widths;
}
