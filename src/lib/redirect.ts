/**
 * A "return to" path from a form, made safe: only a local path ("/x?y"), never another origin
 * ("//evil.example", "/\\evil.example", "https://…"). Anything else becomes the fallback.
 */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return fallback; // control characters (header injection)
  }
  return value;
}
