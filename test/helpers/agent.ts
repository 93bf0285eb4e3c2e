import type { FastifyInstance, InjectOptions } from 'fastify';
import { parse, type HTMLElement } from 'node-html-parser';

/**
 * A browser-like client over app.inject: keeps cookies, parses pages, and fills and submits forms
 * the way a browser would (hidden fields such as _csrf included).
 *
 *   const agent = new TestAgent(app);
 *   const home = await agent.get('/');
 *   const after = await agent.submitForm(home, 'form.language-form', { locale: 'es' }, { follow: true });
 */
export interface Page {
  url: string;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  /** Location header of a redirect. */
  location: string | undefined;
  /** The parsed HTML document. */
  html(): HTMLElement;
}

export type FormValues = Record<string, string | readonly string[]>;

/** A file chosen in a file input. */
export interface UploadFile {
  name: string;
  type: string;
  data: Uint8Array | string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Follow redirects (up to 5), like a browser. */
  follow?: boolean;
}

export interface AgentOptions {
  /** The client's address as the app sees it (request.ip), e.g. for per-IP throttling; default 127.0.0.1. */
  remoteAddress?: string;
}

export class TestAgent {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly defaultHeaders: Record<string, string> = {},
    private readonly agentOptions: AgentOptions = {},
  ) {}

  async get(url: string, options: RequestOptions = {}): Promise<Page> {
    return this.request({ method: 'GET', url, headers: options.headers }, options.follow ?? false);
  }

  /** POSTs urlencoded fields as given (no CSRF token added: use submitForm for that). */
  async post(url: string, values: FormValues, options: RequestOptions = {}): Promise<Page> {
    return this.request(
      {
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
        payload: encodeForm(values),
      },
      options.follow ?? false,
    );
  }

  /** Finds the form, keeps its current field values, overrides them with `values`, submits it. */
  async submitForm(page: Page, selector: string, values: FormValues = {}, options: RequestOptions = {}): Promise<Page> {
    const form = page.html().querySelector(selector);
    if (!form) throw new Error(`No form matches "${selector}" on ${page.url}`);
    if (form.tagName !== 'FORM') throw new Error(`"${selector}" is a <${form.tagName.toLowerCase()}>, not a form`);
    const fields = formFields(form);
    for (const [name, value] of Object.entries(values)) fields.set(name, typeof value === 'string' ? [value] : [...value]);
    const method = (form.getAttribute('method') ?? 'get').toUpperCase();
    const action = new URL(form.getAttribute('action') ?? page.url, `http://localhost${page.url}`);
    const encoded = encodeForm(Object.fromEntries(fields));
    if (method === 'GET') {
      action.search = encoded;
      return this.get(action.pathname + action.search, options);
    }
    return this.request(
      {
        method: method === 'POST' ? 'POST' : 'GET',
        url: action.pathname + action.search,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
        payload: encoded,
      },
      options.follow ?? false,
    );
  }

  /**
   * Submits a `multipart/form-data` form (a file upload) the way a browser does: its fields in
   * document order (hidden ones such as _csrf included), `values` overriding them, and `files` for
   * its file inputs (a file input left without a file is not sent).
   *
   *   await agent.submitMultipart(editor, 'form.image-upload-form', { alt_en: 'Red' }, { image: { name: 'red.png', type: 'image/png', data: png } });
   */
  async submitMultipart(page: Page, selector: string, values: FormValues = {}, files: Record<string, UploadFile> = {}, options: RequestOptions = {}): Promise<Page> {
    const form = page.html().querySelector(selector);
    if (!form) throw new Error(`No form matches "${selector}" on ${page.url}`);
    if (form.tagName !== 'FORM') throw new Error(`"${selector}" is a <${form.tagName.toLowerCase()}>, not a form`);
    if ((form.getAttribute('method') ?? 'get').toUpperCase() !== 'POST') throw new Error(`"${selector}" on ${page.url} is not a POST form`);
    const fields = formFields(form);
    for (const [name, value] of Object.entries(values)) fields.set(name, typeof value === 'string' ? [value] : [...value]);
    const body = new FormData();
    const sent = new Set<string>();
    const send = (name: string): void => {
      if (sent.has(name)) return;
      sent.add(name);
      const file = files[name];
      if (file) body.append(name, new Blob([file.data], { type: file.type }), file.name);
      for (const v of fields.get(name) ?? []) body.append(name, v);
    };
    for (const el of form.querySelectorAll('input, select, textarea')) {
      const name = el.getAttribute('name');
      if (name) send(name);
    }
    for (const name of [...fields.keys(), ...Object.keys(files)]) send(name);
    const action = new URL(form.getAttribute('action') ?? page.url, `http://localhost${page.url}`);
    return this.request({ method: 'POST', url: action.pathname + action.search, headers: options.headers, payload: body }, options.follow ?? false);
  }

  /** Follows the redirect of a 3xx page (GET, as a browser does after 303). */
  async follow(page: Page): Promise<Page> {
    if (page.location === undefined) throw new Error(`Not a redirect: ${page.status} ${page.url}`);
    return this.get(page.location);
  }

  private cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private async request(options: InjectOptions & { url: string }, follow: boolean): Promise<Page> {
    let page = await this.once(options);
    for (let hops = 0; follow && page.location !== undefined && hops < 5; hops++) page = await this.get(page.location);
    return page;
  }

  private async once(options: InjectOptions & { url: string }): Promise<Page> {
    const cookie = this.cookieHeader();
    const response = await this.app.inject({
      ...(this.agentOptions.remoteAddress === undefined ? {} : { remoteAddress: this.agentOptions.remoteAddress }),
      ...options,
      headers: { ...this.defaultHeaders, ...(cookie ? { cookie } : {}), ...(options.headers as Record<string, string> | undefined) },
    });
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now());
      if (expired || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const location = response.headers.location;
    let root: HTMLElement | undefined;
    return {
      url: options.url,
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
      location: response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string' ? location : undefined,
      html: () => (root ??= parse(response.body)),
    };
  }
}

/** The values a browser would send for this form (successful controls only). */
export function formFields(form: HTMLElement): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    fields.set(name, [...(fields.get(name) ?? []), value]);
  };
  for (const el of form.querySelectorAll('input, select, textarea')) {
    const name = el.getAttribute('name');
    if (!name || el.hasAttribute('disabled')) continue;
    if (el.tagName === 'SELECT') {
      const options = el.querySelectorAll('option');
      const chosen = options.filter((o) => o.hasAttribute('selected'));
      const picked = chosen.length > 0 ? chosen : options.slice(0, 1);
      for (const o of picked) add(name, o.getAttribute('value') ?? o.text);
    } else if (el.tagName === 'TEXTAREA') {
      add(name, el.text);
    } else {
      const type = (el.getAttribute('type') ?? 'text').toLowerCase();
      if (type === 'submit' || type === 'button' || type === 'image' || type === 'reset' || type === 'file') continue;
      if ((type === 'checkbox' || type === 'radio') && !el.hasAttribute('checked')) continue;
      add(name, el.getAttribute('value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''));
    }
  }
  return fields;
}

export function encodeForm(values: Record<string, string | readonly string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    for (const v of typeof value === 'string' ? [value] : value) params.append(name, v);
  }
  return params.toString();
}
