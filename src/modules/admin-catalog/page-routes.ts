import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ObjectId } from 'mongodb';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../lib/errors.js';
import { LANGUAGE_LABEL_KEYS, LOCALES } from '../../i18n/locales.js';
import { renderMarkdown } from '../../lib/markdown.js';
import { actorOf } from '../admin/scope.js';
import { isSlug } from '../catalog/translated.js';
import type { Translated } from '../catalog/types.js';
import type { PageInput } from '../cms/service.js';
import type { PageDoc } from '../cms/types.js';
import type { ModuleContext } from '../types.js';
import { errorModel } from './form-view.js';
import { fromLocal, toLocal } from './local-time.js';
import { IdParams, PageForm } from './schemas.js';

type Values = Record<string, string>;

function pageValues(page: PageDoc, timeZone: string): Values {
  const v: Values = { slug: page.slug, status: page.status, publishAt: toLocal(page.publishAt ?? undefined, timeZone), version: String(page.version) };
  for (const l of LOCALES) {
    v[`title_${l}`] = page.title[l] ?? '';
    v[`body_${l}`] = page.body[l] ?? '';
  }
  return v;
}

function parsePage(values: Values, timeZone: string): { input?: PageInput & { publishAt?: Date }; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const slug = (values.slug ?? '').trim();
  if (!isSlug(slug)) errors.push({ field: 'slug', messageKey: 'adminCatalog.error.slug' });
  const title: Translated = { en: (values.title_en ?? '').trim() };
  const body: Translated = { en: values.body_en ?? '' };
  for (const l of LOCALES) {
    if (l === 'en') continue;
    if (values[`title_${l}`]?.trim()) title[l] = (values[`title_${l}`] ?? '').trim();
    if (values[`body_${l}`]?.trim()) body[l] = values[`body_${l}`] ?? '';
  }
  if (title.en === '') errors.push({ field: 'title_en', messageKey: 'adminCatalog.error.required' });
  if (title.en.length > 200) errors.push({ field: 'title_en', messageKey: 'adminCatalog.error.tooLong', params: { max: 200 } });
  const status = values.status;
  if (status !== 'draft' && status !== 'published') errors.push({ field: 'status', messageKey: 'adminCatalog.error.required' });
  const publishText = (values.publishAt ?? '').trim();
  const publishAt = publishText === '' ? undefined : fromLocal(publishText, timeZone);
  if (publishText !== '' && !publishAt) errors.push({ field: 'publishAt', messageKey: 'adminCatalog.error.date' });
  if (errors.length > 0 || (status !== 'draft' && status !== 'published')) return { errors };
  return { errors, input: { slug, title, body, status, ...(publishAt ? { publishAt } : {}) } };
}

/** /admin/pages: content pages with a Markdown editor, a server-rendered preview and scheduled publishing. */
export const pageRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { cms, audit } = services;
  const timeZone = async () => (await services.admin.settings.get()).timeZone;

  app.get('/admin/pages', async (request, reply) =>
    reply.render('admin/pages/list', { title: request.t('adminCatalog.pages.title'), pages: await cms.allPages(), now: new Date() }),
  );

  async function editor(request: FastifyRequest, reply: FastifyReply, page: PageDoc | null, values: Values, errors: readonly FieldError[] = [], extra: { preview?: Record<string, string>; conflict?: { field: string; mine: string; current: string }[] } = {}) {
    const model = errorModel(request, errors);
    reply.code(extra.conflict ? 409 : model.list.length > 0 ? 422 : 200);
    return reply.render('admin/pages/edit', {
      title: page ? page.title.en : request.t('adminCatalog.pages.new'), page, values, errors: model.byField, errorList: model.list,
      locales: LOCALES, languageNames: Object.fromEntries(LOCALES.map((l) => [l, request.t(LANGUAGE_LABEL_KEYS[l])])), preview: extra.preview ?? null, conflict: extra.conflict ?? null,
      action: page ? `/admin/pages/${page._id.toHexString()}` : '/admin/pages/new', viewUrl: page ? `/pages/${page.slug}` : null,
    });
  }

  const loaded = async (id: string): Promise<PageDoc> => {
    const page = await cms.pageById(new ObjectId(id));
    if (!page) throw new NotFoundError('No such page');
    return page;
  };

  app.get('/admin/pages/new', async (request, reply) => editor(request, reply, null, { status: 'draft' }));
  app.get('/admin/pages/:id', { schema: { params: IdParams } }, async (request, reply) => {
    const page = await loaded(request.params.id);
    return editor(request, reply, page, pageValues(page, await timeZone()));
  });

  async function submit(request: FastifyRequest, reply: FastifyReply, page: PageDoc | null) {
    const values = (request.body ?? {}) as Values;
    if (request.validationError) return editor(request, reply, page, values, [{ field: '_form', messageKey: 'adminCatalog.error.form' }]);
    if (values.action === 'preview') {
      // Rendered by the same Markdown renderer as a save: what the preview shows is what the page will show.
      const preview = Object.fromEntries(LOCALES.map((l) => [l, renderMarkdown(values[`body_${l}`] ?? '')]));
      return editor(request, reply, page, values, [], { preview });
    }
    const tz = await timeZone();
    const parsed = parsePage(values, tz);
    if (!parsed.input) return editor(request, reply, page, values, parsed.errors);
    const actor = actorOf(request);
    try {
      if (!page) {
        const created = await cms.createPage(parsed.input);
        await audit.record({ actor, ip: actor.ip, action: 'page.create', entity: { type: 'page', id: created._id.toHexString() }, before: null, after: { slug: created.slug, title: created.title, status: created.status } });
        reply.flash('success', 'adminCatalog.pages.saved');
        return reply.code(303).redirect(`/admin/pages/${created._id.toHexString()}`);
      }
      const patch = { ...parsed.input, publishAt: parsed.input.publishAt };
      const saved = await cms.updatePage(page._id, patch, Number(values.version));
      const pick = (p: PageDoc) => ({ slug: p.slug, title: p.title, body: p.body, status: p.status, publishAt: p.publishAt ?? null });
      await audit.record({ actor, ip: actor.ip, action: 'page.update', entity: { type: 'page', id: page._id.toHexString() }, before: pick(page), after: pick(saved) });
    } catch (error) {
      if (error instanceof ValidationError) return editor(request, reply, page, values, error.fields);
      if (error instanceof ConflictError && page) {
        if (error.messageKey === 'catalog.error.slugTaken') return editor(request, reply, page, values, [{ field: 'slug', messageKey: 'adminCatalog.error.slugTaken' }]);
        const current = await loaded(page._id.toHexString());
        const stored = pageValues(current, tz);
        const conflict = Object.keys(stored).filter((k) => k !== 'version' && (values[k] ?? '').trim() !== (stored[k] ?? '').trim()).map((field) => ({ field, mine: values[field] ?? '', current: stored[field] ?? '' }));
        return editor(request, reply, current, { ...values, version: String(current.version) }, [], { conflict });
      }
      if (error instanceof ConflictError) return editor(request, reply, page, values, [{ field: 'slug', messageKey: 'adminCatalog.error.slugTaken' }]);
      throw error;
    }
    reply.flash('success', 'adminCatalog.pages.saved');
    return reply.code(303).redirect(`/admin/pages/${page._id.toHexString()}`);
  }

  app.post('/admin/pages/new', { schema: { body: PageForm }, attachValidation: true }, async (request, reply) => submit(request, reply, null));
  app.post('/admin/pages/:id', { schema: { params: IdParams, body: PageForm }, attachValidation: true }, async (request, reply) =>
    submit(request, reply, await loaded(request.params.id)),
  );
};
