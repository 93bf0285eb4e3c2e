import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ConflictError, ValidationError, type FieldError } from '../../lib/errors.js';
import { LOCALES } from '../../i18n/locales.js';
import { actorOf } from '../admin/scope.js';
import { categoryChoices, errorModel } from '../admin-catalog/form-view.js';
import { diffValues } from '../admin-catalog/product-form.js';
import type { MenuLink } from '../cms/types.js';
import type { ModuleContext } from '../types.js';
import { FlatForm, languageNames, postedVersion, str, type Values } from './form.js';
import { applyOp, menuValues, parseMenu, rowCount } from './menu-form.js';

/** Links as the audit log shows them (ids as text). */
const auditLinks = (links: readonly MenuLink[]) => links.map((l) => JSON.parse(JSON.stringify(l)) as unknown);

/** /admin/menu: the site's navigation, one form with move and remove buttons (no JavaScript). */
export const menuRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { cms, audit } = services;

  async function choices() {
    const [categories, pages] = await Promise.all([services.adminStructure.categories.list(), cms.allPages()]);
    return {
      categories: categoryChoices(categories),
      pages: pages.map((p) => ({ id: p._id.toHexString(), title: p.title.en, status: p.status })).sort((a, b) => a.title.localeCompare(b.title)),
    };
  }

  async function page(request: FastifyRequest, reply: FastifyReply, values: Values, errors: readonly FieldError[] = [], conflict?: ReturnType<typeof diffValues>) {
    const model = errorModel(request, errors);
    reply.code(conflict ? 409 : model.list.length > 0 ? 422 : 200);
    return reply.render('admin/menu/edit', {
      title: request.t('adminStructure.menu.title'), values, rows: rowCount(values), errors: model.byField, errorList: model.list,
      conflict: conflict ?? null, ...(await choices()), locales: LOCALES, languageNames: languageNames(request),
    });
  }

  app.get('/admin/menu', async (request, reply) => {
    const doc = await cms.menuSource();
    return page(request, reply, { ...menuValues(doc.links), version: String(doc.version) });
  });

  app.post('/admin/menu', { schema: { body: FlatForm }, attachValidation: true }, async (request, reply) => {
    const values = (request.body ?? {}) as Values;
    if (request.validationError) return page(request, reply, values, [{ field: '_form', messageKey: 'adminCatalog.error.form' }]);
    const { categories, pages } = await choices();
    const parsed = parseMenu(values, { categories: new Set(categories.map((c) => c.id)), pages: new Set(pages.map((p) => p.id)) });
    if (parsed.errors.length > 0) return page(request, reply, values, parsed.errors);
    const links = applyOp(str(values, 'op'), parsed.links);
    const before = await cms.menuSource();
    try {
      await cms.saveMenu(links, postedVersion(values));
    } catch (error) {
      if (error instanceof ValidationError) return page(request, reply, values, error.fields);
      if (!(error instanceof ConflictError)) throw error;
      const current = await cms.menuSource();
      return page(request, reply, { ...values, version: String(current.version) }, [], diffValues(values, menuValues(current.links)));
    }
    const actor = actorOf(request);
    await audit.record({ actor, ip: actor.ip, action: 'menu.update', entity: { type: 'menu', id: 'main' }, before: { links: auditLinks(before.links) }, after: { links: auditLinks(links) } });
    reply.flash('success', 'adminStructure.menu.saved');
    return reply.code(303).redirect('/admin/menu');
  });
};
