import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../lib/errors.js';
import { LOCALES } from '../../i18n/locales.js';
import { renderMarkdown } from '../../lib/markdown.js';
import { actorOf } from '../admin/scope.js';
import { categoryChoices, errorModel } from '../admin-catalog/form-view.js';
import { diffValues } from '../admin-catalog/product-form.js';
import { csrfAfterParse, multipartScope, uploadOf } from '../admin-catalog/multipart.js';
import type { HomeSectionInput } from '../cms/service.js';
import type { HomeDoc, HomeSection } from '../cms/types.js';
import { MAX_IMAGE_BYTES } from '../media/image-processing.js';
import { mediaUrl } from '../media/picture.js';
import { variantWidths } from '../media/widths.js';
import type { ModuleContext } from '../types.js';
import { FlatForm, IndexParams, languageNames, postedVersion, str, type Values } from './form.js';
import { asInput, isSectionKind, MAX_SECTIONS, parseSection, sectionSummary, sectionValues, SECTION_KINDS, type SectionKind } from './home-form.js';
import { applyOp } from './menu-form.js';

const NewQuery = Type.Object({ kind: Type.Optional(Type.String({ maxLength: 40 })) });

/** /admin/home: the home page's sections — add, edit, reorder, remove; a hero image upload. */
export const homeRoutes: FastifyPluginAsync<ModuleContext> = async (base, context) => {
  const { services } = context;
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { cms, audit } = services;
  const refs = services.adminStructure.productRefs;

  /** Saves the sections over the version the form read; records the change. False on a conflict. */
  async function save(request: FastifyRequest, before: HomeDoc, sections: HomeSectionInput[], version: number): Promise<boolean> {
    try {
      await cms.saveHome(sections, version);
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
    const actor = actorOf(request);
    const view = (list: readonly (HomeSection | HomeSectionInput)[]) => list.map((s) => JSON.parse(JSON.stringify(asInput(s as HomeSection))) as unknown);
    await audit.record({ actor, ip: actor.ip, action: 'home.update', entity: { type: 'home', id: 'home' }, before: { sections: view(before.sections) }, after: { sections: view(sections) } });
    return true;
  }

  app.get('/admin/home', async (request, reply) => {
    const doc = await cms.homeSource();
    const rows = doc.sections.map((s, i) => ({ index: i, kind: s.kind, summary: sectionSummary(s) }));
    return reply.render('admin/home/list', { title: request.t('adminStructure.home.title'), rows, version: doc.version, kinds: SECTION_KINDS, full: rows.length >= MAX_SECTIONS });
  });

  app.post('/admin/home/order', { schema: { body: FlatForm }, attachValidation: true }, async (request, reply) => {
    const values = (request.body ?? {}) as Values;
    const doc = await cms.homeSource();
    const op = str(values, 'op');
    if (request.validationError || !/^(up|down|remove):\d+$/.test(op)) {
      reply.flash('error', 'adminCatalog.error.form');
      return reply.code(303).redirect('/admin/home');
    }
    const sections = applyOp(op, doc.sections.map((s, row) => ({ row, link: s })));
    if (!(await save(request, doc, sections.map(asInput), postedVersion(values)))) {
      reply.flash('error', 'adminStructure.home.conflict');
      return reply.code(303).redirect('/admin/home');
    }
    reply.flash('success', 'adminStructure.home.saved');
    return reply.code(303).redirect('/admin/home');
  });

  async function form(request: FastifyRequest, reply: FastifyReply, options: { index: number | null; kind: SectionKind; section: HomeSection | null; values: Values; version: number; errors?: readonly FieldError[]; conflict?: ReturnType<typeof diffValues>; preview?: Record<string, string> }) {
    const model = errorModel(request, options.errors ?? []);
    reply.code(options.conflict ? 409 : model.list.length > 0 ? 422 : 200);
    const hero = options.section?.kind === 'hero' ? options.section : null;
    const image = hero?.imageId ? (await services.media.imageInfo([hero.imageId])).get(hero.imageId.toHexString()) : undefined;
    return reply.render('admin/home/edit', {
      title: request.t(options.index === null ? 'adminStructure.home.new' : 'adminStructure.home.edit', { kind: request.t(`adminStructure.home.kind.${options.kind}`) }),
      kind: options.kind, index: options.index, values: { ...options.values, version: String(options.version) }, errors: model.byField, errorList: model.list,
      conflict: options.conflict ?? null, preview: options.preview ?? null, locales: LOCALES, languageNames: languageNames(request),
      categories: options.kind === 'featuredCategories' ? categoryChoices(await services.adminStructure.categories.list()) : [],
      image: image ? { src: mediaUrl(image.id, variantWidths(image.width)[0] ?? image.width, image.format ?? 'jpeg'), alt: image.alt } : null,
      action: options.index === null ? '/admin/home/new' : `/admin/home/${options.index}`,
    });
  }

  const sectionAt = (doc: HomeDoc, index: string): { index: number; section: HomeSection } => {
    const i = Number(index);
    const section = doc.sections[i];
    if (!section) throw new NotFoundError('No such home section');
    return { index: i, section };
  };
  const slugsOf = async (s: HomeSection) => refs.slugs(s.kind === 'featuredProducts' ? s.productIds : []);

  app.get('/admin/home/new', { schema: { querystring: NewQuery } }, async (request, reply) => {
    const kind = isSectionKind(request.query.kind) ? request.query.kind : 'richText';
    return form(request, reply, { index: null, kind, section: null, values: { kind }, version: (await cms.homeSource()).version });
  });

  app.get('/admin/home/:index', { schema: { params: IndexParams } }, async (request, reply) => {
    const doc = await cms.homeSource();
    const { index, section } = sectionAt(doc, request.params.index);
    return form(request, reply, { index, kind: section.kind, section, values: sectionValues(section, await slugsOf(section)), version: doc.version });
  });

  async function submit(request: FastifyRequest, reply: FastifyReply, indexParam: string | null) {
    const values = (request.body ?? {}) as Values;
    const doc = await cms.homeSource();
    const at = indexParam === null ? null : sectionAt(doc, indexParam);
    const kind = at ? at.section.kind : str(values, 'kind');
    if (!isSectionKind(kind)) throw new ValidationError([{ field: 'kind', messageKey: 'adminCatalog.error.form' }]);
    const base = { index: at?.index ?? null, kind, section: at?.section ?? null, values, version: postedVersion(values) };
    if (request.validationError) return form(request, reply, { ...base, errors: [{ field: '_form', messageKey: 'adminCatalog.error.form' }] });
    if (kind === 'richText' && str(values, 'action') === 'preview') {
      return form(request, reply, { ...base, preview: Object.fromEntries(LOCALES.map((l) => [l, renderMarkdown(str(values, `markdown_${l}`))])) });
    }
    const categories = new Set((await services.adminStructure.categories.list()).map((c) => c._id.toHexString()));
    const parsed = await parseSection(values, { kind, current: at?.section ?? null, categories, products: refs });
    if (!parsed.section) return form(request, reply, { ...base, errors: parsed.errors });
    const sections = doc.sections.map(asInput);
    if (at) sections[at.index] = parsed.section;
    else if (sections.length >= MAX_SECTIONS) return form(request, reply, { ...base, errors: [{ field: '_form', messageKey: 'adminStructure.home.error.tooMany', params: { max: MAX_SECTIONS } }] });
    else sections.push(parsed.section);
    let saved: boolean;
    try {
      saved = await save(request, doc, sections, base.version);
    } catch (error) {
      if (error instanceof ValidationError) return form(request, reply, { ...base, errors: error.fields.map((f) => (f.field === 'link' ? { ...f, field: 'linkUrl' } : f)) });
      throw error;
    }
    if (!saved) {
      const current = await cms.homeSource();
      const now = at ? current.sections[at.index] : undefined;
      const conflict = diffValues(values, now ? sectionValues(now, await slugsOf(now)) : {});
      return form(request, reply, { ...base, version: current.version, conflict });
    }
    reply.flash('success', 'adminStructure.home.saved');
    return reply.code(303).redirect(at ? `/admin/home/${at.index}` : `/admin/home/${sections.length - 1}`);
  }

  app.post('/admin/home/new', { schema: { body: FlatForm }, attachValidation: true }, async (request, reply) => submit(request, reply, null));
  app.post('/admin/home/:index', { schema: { params: IndexParams, body: FlatForm }, attachValidation: true }, async (request, reply) => submit(request, reply, request.params.index));

  await app.register(multipartScope({ fileSize: MAX_IMAGE_BYTES }, heroImageUpload), context);
};

/** The hero's image: its own small multipart form on the hero editor (plain file input). */
const heroImageUpload: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/admin/home/:index/image', { schema: { params: IndexParams }, config: { csrf: false }, preValidation: csrfAfterParse }, async (request, reply) => {
    const back = `/admin/home/${request.params.index}`;
    const doc = await services.cms.homeSource();
    const index = Number(request.params.index);
    const section = doc.sections[index];
    if (!section || section.kind !== 'hero') throw new NotFoundError('No such hero section');
    const { fields, files } = uploadOf(request);
    const file = files.image;
    if (!file) {
      reply.flash('error', 'adminCatalog.upload.missing');
      return reply.code(303).redirect(back);
    }
    let imageId;
    try {
      imageId = (await services.media.storeImage(file.data, { filename: file.filename, alt: (fields.alt ?? '').trim().slice(0, 300) || section.heading.en })).id;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      reply.flash('error', 'adminCatalog.upload.badImage');
      return reply.code(303).redirect(back);
    }
    const sections = doc.sections.map(asInput);
    sections[index] = { ...section, imageId };
    try {
      await services.cms.saveHome(sections, postedVersion(fields));
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      reply.flash('error', 'adminStructure.home.conflict');
      return reply.code(303).redirect(back);
    }
    const actor = actorOf(request);
    await services.audit.record({ actor, ip: actor.ip, action: 'home.image', entity: { type: 'home', id: 'home' }, before: { index, imageId: section.imageId?.toHexString() ?? null }, after: { index, imageId: imageId.toHexString() } });
    reply.flash('success', 'adminStructure.home.imageSaved');
    return reply.code(303).redirect(back);
  });
};
