import { channel } from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';

/** One route as the router registered it (HEAD twins of GET routes left out). */
export interface RouteInfo {
  method: string;
  url: string;
  adminOnly: boolean;
  /** Registered outside the site context (no session/CSRF): static files, /healthz, /media. */
  csrfExempt: boolean;
}

interface InitMessage {
  fastify: FastifyInstance;
}

/**
 * Collects every route of the next Fastify instance created while `build` runs. Fastify publishes
 * each new instance on the `fastify.initialization` diagnostics channel before any plugin loads, so
 * an onRoute hook added there sees the whole router (root, static files, public and site routes).
 */
export async function collectRoutes<T>(build: () => Promise<T>): Promise<{ result: T; routes: RouteInfo[] }> {
  const routes: RouteInfo[] = [];
  const init = channel('fastify.initialization');
  let attached = false;
  const onInit = (message: unknown): void => {
    if (attached) return;
    attached = true;
    (message as InitMessage).fastify.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === 'HEAD' && route.url !== '*') continue;
        routes.push({ method, url: route.url, adminOnly: route.config?.adminOnly === true, csrfExempt: route.config?.csrf === false });
      }
    });
  };
  init.subscribe(onInit);
  try {
    const result = await build();
    return { result, routes: dedupe(routes) };
  } finally {
    init.unsubscribe(onInit);
  }
}

function dedupe(routes: RouteInfo[]): RouteInfo[] {
  const seen = new Map<string, RouteInfo>();
  for (const r of routes) seen.set(`${r.method} ${r.url}`, r);
  return [...seen.values()];
}

export const isStaffRoute = (r: RouteInfo): boolean => r.url === '/admin' || r.url.startsWith('/admin/');
