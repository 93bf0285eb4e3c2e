import type { FastifyInstance } from 'fastify';
import type { TestAgent } from '../helpers/agent.js';
import { CSRF, encodePairs, wellFormed, type Body, type FuzzCase, type Value } from './cases.js';

export interface Sent {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  /** The request could not even be built (e.g. a header value Node refuses): nothing reached the app. */
  refused?: string;
}

const BOUNDARY = '----vitrineFuzzBoundary7MA4YWxkTrZu0gW';

function valueBytes(value: Value, csrf: string): Buffer {
  if (value === CSRF) return Buffer.from(csrf);
  if (typeof value === 'string') return Buffer.from(wellFormed(value));
  return value.raw;
}

function multipart(body: Extract<Body, { type: 'multipart' }>, csrf: string): Buffer {
  const b = body.boundary ?? BOUNDARY;
  const parts: Buffer[] = [];
  for (const [name, value] of body.fields) {
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`), valueBytes(value, csrf), Buffer.from('\r\n'));
  }
  for (const f of body.files) {
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${b}--\r\n`));
  const all = Buffer.concat(parts);
  return body.truncate ? all.subarray(0, Math.max(0, all.length - 40)) : all;
}

/** Content type and bytes of a case's body, with the agent's CSRF token filled in. */
export function encodeBody(body: Body, csrf: string): { contentType: string | undefined; data: Buffer } {
  switch (body.type) {
    case 'form':
      return { contentType: body.contentType ?? 'application/x-www-form-urlencoded', data: encodePairs(body.pairs, csrf) };
    case 'json': {
      const value = body.withCsrf && typeof body.value === 'object' && body.value !== null && !Array.isArray(body.value) ? { ...body.value, _csrf: csrf } : body.value;
      return { contentType: 'application/json', data: Buffer.from(JSON.stringify(value)) };
    }
    case 'raw':
      return { contentType: body.contentType, data: body.data };
    case 'multipart':
      return { contentType: body.boundary === '' ? 'multipart/form-data' : `multipart/form-data; boundary=${body.boundary ?? BOUNDARY}`, data: multipart(body, csrf) };
  }
}

/** Sends one case with the agent's cookies (and keeps the cookies it gets back), like a browser. */
export async function sendCase(app: FastifyInstance, agent: TestAgent, c: FuzzCase, csrf: string, acceptLanguage: string): Promise<Sent> {
  const headers: Record<string, string> = { 'accept-language': acceptLanguage, 'user-agent': 'vitrine-fuzz' };
  if (agent.cookies.size > 0) headers.cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  let payload: Buffer | undefined;
  if (c.body) {
    const { contentType, data } = encodeBody(c.body, csrf);
    if (contentType !== undefined) headers['content-type'] = contentType;
    payload = data;
  }
  Object.assign(headers, c.headers);
  let response;
  try {
    response = await app.inject({ method: c.method as 'GET', url: c.url, headers, ...(payload ? { payload } : {}) });
  } catch (error) {
    return { status: 0, headers: {}, body: '', refused: error instanceof Error ? error.message : String(error) };
  }
  for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
    const expired = cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now());
    if (expired || cookie.value === '') agent.cookies.delete(cookie.name);
    else agent.cookies.set(cookie.name, cookie.value);
  }
  return { status: response.statusCode, headers: response.headers, body: response.body };
}
