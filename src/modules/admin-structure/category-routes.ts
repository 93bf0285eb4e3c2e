import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ObjectId } from 'mongodb';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors.js';
import { LOCALES } from '../../i18n/locales.js';
import type { MessageParams } from '../../i18n/translate.js';
import { actorOf } from '../admin/scope.js';
import { categoryChoices, errorModel } from '../admin-catalog/form-view.js';
import { diffValues } from '../admin-catalog/product-form.js';
import { MAX_LEVEL, type CategoryEdit } from '../catalog/category-editor.js';
import { isSlug } from '../catalog/translated.js';
import type { CategoryDoc } from '../catalog/types.js';
import type { ModuleContext } from '../types.js';
import { FlatForm, languageNames, ObjectIdParams, postedVersion, readInt, readTranslated, str, translatedValues, type Values } from './form.js';

function categoryValues(c: CategoryDoc): Values {
  return {
    slug: c.slug, parentId: c.parentId?.toHexString() ?? '', sortOrder: String(c.sortOrder), status: c.status, version: String(c.version),
    ...translatedValues(c.name, 'name'), ...translatedValues(c.description, 'description'),
  };
}

function parseCategory(values: Values): { edit?: CategoryEdit; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const slug = str(values, 'slug').trim();
  if (!isSlug(slug)) errors.push({ field: 'slug', messageKey: 'adminCatalog.error.slug' });
  const parentText = str(values, 'parentId');
  if (parentText !== '' && !ObjectId.isValid(parentText)) errors.push({ field: 'parentId', messageKey: 'catalog.error.parent' });
  const sortOrder = readInt(values, 'sortOrder', errors, -100_000, 100_000, 0);
  const status = str(values, 'status');
  if (status !== 'draft' && status !== 'published') errors.push({ field: 'status', messageKey: 'adminCatalog.error.required' });
  const name = readTranslated(values, 'name', errors, { required: true, max: 120 });
  const description = readTranslated(values, 'description', errors, { max: 2000 });
  if (errors.length > 0 || (status !== 'draft' && status !== 'published')) return { errors };
  return { errors, edit: { slug, name, description, parentId: parentText === '' ? null : new ObjectId(parentText), sortOrder, status } };
}

/** /admin/categories: the tree as an indented list, and the category editor (new and existing). */
export const categoryRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const editor = services.adminStructure.categories;

  app.get('/admin/categories', async (request, reply) => {
    const all = await editor.list();
    const byId = new Map(all.map((c) => [c._id.toHexString(), c]));
    const rows = categoryChoices(all).map((row) => ({ ...row, category: byId.get(row.id) }));
    return reply.render('admin/categories/list', { title: request.t('adminStructure.categories.title'), rows });
  });

  async function form(request: FastifyRequest, reply: FastifyReply, category: CategoryDoc | null, values: Values, errors: readonly FieldError[] = [], conflict?: ReturnType<typeof diffValues>) {
    const model = errorModel(request, errors);
    reply.code(conflict ? 409 : model.list.length > 0 ? 422 : 200);
    // A category cannot go under itself or its own subtree; deeper levels are refused on save.
    const all = await editor.list();
    const self = category?._id;
    const excluded = new Set(self ? [self, ...all.filter((c) => c.ancestorIds.some((a) => a.equals(self))).map((c) => c._id)].map((id) => id.toHexString()) : []);
    const parents = categoryChoices(all).filter((c) => c.depth < MAX_LEVEL && !excluded.has(c.id));
    return reply.render('admin/categories/edit', {
      title: category ? category.name.en : request.t('adminStructure.categories.new'), category, values, errors: model.byField, errorList: model.list,
      conflict: conflict ?? null, parents, locales: LOCALES, languageNames: languageNames(request),
      action: category ? `/admin/categories/${category._id.toHexString()}` : '/admin/categories/new', viewUrl: category?.status === 'published' ? `/c/${category.slug}` : null,
    });
  }

  const loaded = async (id: string): Promise<CategoryDoc> => {
    const category = await editor.byId(new ObjectId(id));
    if (!category) throw new NotFoundError('No such category');
    return category;
  };

  app.get('/admin/categories/new', async (request, reply) => form(request, reply, null, { status: 'published', sortOrder: '0', parentId: '' }));
  app.get('/admin/categories/:id', { schema: { params: ObjectIdParams } }, async (request, reply) => {
    const category = await loaded(request.params.id);
    return form(request, reply, category, categoryValues(category));
  });

  app.post('/admin/categories/new', { schema: { body: FlatForm }, attachValidation: true }, async (request, reply) => {
    const values = (request.body ?? {}) as Values;
    if (request.validationError) return form(request, reply, null, values, [{ field: '_form', messageKey: 'adminCatalog.error.form' }]);
    const parsed = parseCategory(values);
    if (!parsed.edit) return form(request, reply, null, values, parsed.errors);
    try {
      const doc = await editor.create(actorOf(request), parsed.edit);
      reply.flash('success', 'adminStructure.categories.saved');
      return reply.code(303).redirect(`/admin/categories/${doc._id.toHexString()}`);
    } catch (error) {
      if (error instanceof ValidationError) return form(request, reply, null, values, error.fields.map(slugTaken));
      throw error;
    }
  });

  app.post('/admin/categories/:id', { schema: { params: ObjectIdParams, body: FlatForm }, attachValidation: true }, async (request, reply) => {
    const category = await loaded(request.params.id);
    const values = (request.body ?? {}) as Values;
    if (request.validationError) return form(request, reply, category, values, [{ field: '_form', messageKey: 'adminCatalog.error.form' }]);
    const parsed = parseCategory(values);
    if (!parsed.edit) return form(request, reply, category, values, parsed.errors);
    try {
      const result = await editor.save(actorOf(request), category._id, parsed.edit, postedVersion(values));
      if (result.kind === 'conflict') {
        // The user's input stays, on the current version: saving again is a deliberate overwrite.
        const current = result.current;
        return form(request, reply, current, { ...values, version: String(current.version) }, [], diffValues(values, categoryValues(current)));
      }
    } catch (error) {
      if (error instanceof ValidationError) return form(request, reply, category, values, error.fields.map(slugTaken));
      throw error;
    }
    reply.flash('success', 'adminStructure.categories.saved');
    return reply.code(303).redirect(`/admin/categories/${category._id.toHexString()}`);
  });

  app.post('/admin/categories/:id/delete', { schema: { params: ObjectIdParams, body: FlatForm }, attachValidation: true }, async (request, reply) => {
    const category = await loaded(request.params.id);
    const back = `/admin/categories/${category._id.toHexString()}`;
    const result = request.validationError ? ({ kind: 'conflict' } as const) : await editor.remove(actorOf(request), category._id, postedVersion((request.body ?? {}) as Values));
    if (result.kind === 'inUse') {
      reply.flash('error', 'adminStructure.categories.inUse', { children: result.children, products: result.products });
      return reply.code(303).redirect(back);
    }
    if (result.kind === 'conflict') {
      reply.flash('error', 'adminStructure.conflict.title');
      return reply.code(303).redirect(back);
    }
    reply.flash('success', ...deletedMessage(result));
    return reply.code(303).redirect('/admin/categories');
  });
};

/** "Category deleted.", and how many menu links / home page sections that pointed to it were updated. */
function deletedMessage({ menuLinks, homeSections }: { menuLinks: number; homeSections: number }): [string, MessageParams?] {
  if (menuLinks > 0 && homeSections > 0) {
    return ['adminStructure.categories.deletedWithRefs', {
      links: { key: 'adminStructure.categories.menuLinks', params: { count: menuLinks } },
      sections: { key: 'adminStructure.categories.homeSections', params: { count: homeSections } },
    }];
  }
  if (menuLinks > 0) return ['adminStructure.categories.deletedWithMenuLinks', { count: menuLinks }];
  if (homeSections > 0) return ['adminStructure.categories.deletedWithHomeSections', { count: homeSections }];
  return ['adminStructure.categories.deleted'];
}

/** The catalog's generic keys → the editor's wording. */
function slugTaken(e: FieldError): FieldError {
  if (e.messageKey === 'catalog.error.slugTaken') return { field: 'slug', messageKey: 'adminCatalog.error.slugTaken' };
  if (e.messageKey === 'catalog.error.slug') return { field: 'slug', messageKey: 'adminCatalog.error.slug' };
  return e;
}
