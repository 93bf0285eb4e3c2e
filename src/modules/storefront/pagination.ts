export interface PageLink {
  page: number;
  href: string;
  current: boolean;
}

export interface Pagination {
  pages: (PageLink | 'gap')[];
  previous: string | undefined;
  next: string | undefined;
}

/**
 * Numbered pages around the current one, the first and the last, with gaps:
 * 1 … 4 5 [6] 7 8 … 20. `href(n)` builds each page's URL (keeping the other query parameters).
 */
export function paginate(current: number, pageCount: number, href: (page: number) => string): Pagination {
  const shown = new Set<number>([1, pageCount]);
  for (let p = current - 2; p <= current + 2; p++) if (p >= 1 && p <= pageCount) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const pages: Pagination['pages'] = [];
  let prev = 0;
  for (const p of sorted) {
    if (p - prev > 1) pages.push('gap');
    pages.push({ page: p, href: href(p), current: p === current });
    prev = p;
  }
  return {
    pages: pageCount > 1 ? pages : [],
    previous: current > 1 ? href(current - 1) : undefined,
    next: current < pageCount ? href(current + 1) : undefined,
  };
}

/** The query string with `page` replaced (page 1 has no parameter: one URL per page). */
export function pageHref(path: string, params: URLSearchParams, page: number): string {
  const next = new URLSearchParams(params);
  if (page <= 1) next.delete('page');
  else next.set('page', String(page));
  const qs = next.toString();
  return qs ? `${path}?${qs}` : path;
}
