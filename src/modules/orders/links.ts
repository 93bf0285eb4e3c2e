import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed links (HMAC-SHA256 with the session secret): a guest's order page, and digital downloads
 * (bound to the order, the line and an expiry). A changed id, line or expiry breaks the signature.
 */

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createOrderLinks(secret: string) {
  return {
    orderSignature: (orderId: string) => sign(secret, `order:${orderId}`),
    verifyOrder: (orderId: string, sig: string) => same(sig, sign(secret, `order:${orderId}`)),
    /** The guest's link to the order page (path only; the caller adds the base URL). */
    orderPath: (orderId: string) => `/orders/${orderId}?sig=${sign(secret, `order:${orderId}`)}`,
    downloadPath(orderId: string, line: number, expires: Date): string {
      const exp = Math.floor(expires.getTime() / 1000);
      return `/downloads/${orderId}/${line}?exp=${exp}&sig=${sign(secret, `download:${orderId}:${line}:${exp}`)}`;
    },
    /** 'ok', 'expired' or 'invalid' (tampered). */
    verifyDownload(orderId: string, line: number, exp: number, sig: string, now: Date): 'ok' | 'expired' | 'invalid' {
      if (!same(sig, sign(secret, `download:${orderId}:${line}:${exp}`))) return 'invalid';
      return exp * 1000 < now.getTime() ? 'expired' : 'ok';
    },
  };
}

export type OrderLinks = ReturnType<typeof createOrderLinks>;
