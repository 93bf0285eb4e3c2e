import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ValidationError, type FieldError } from '../../lib/errors.js';
import { ROLES, type Role } from '../accounts/repository.js';
import { stringFields, translateErrors } from '../accounts/form.js';
import { isRecentlyConfirmed, markConfirmed } from '../staff-security/session.js';
import type { ModuleContext } from '../types.js';
import type { Acting } from './customers-service.js';
import { actorOf } from './scope.js';
import { CsrfOnlyBody, IdParams, RoleBody, UserListQuery } from './schemas.js';

/**
 * /admin/customers (staff: customer accounts) and /admin/users (admins: every account, roles).
 * Detail pages, disable/enable and role changes are POST forms; a role change needs a password
 * confirmed in the last 15 minutes (entered on the same form when it is older).
 */
export const customersRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { customers } = services.admin;
  const acting = (request: FastifyRequest): Acting => ({ ...actorOf(request), role: request.user?.role ?? 'customer' });

  const listPage = (path: '/admin/customers' | '/admin/users', roles: (q: UserListQuery) => readonly Role[]) =>
    app.get(path, { schema: { querystring: UserListQuery }, config: { adminOnly: path === '/admin/users' } }, async (request, reply) => {
      const q = request.query;
      const query = { q: q.q ?? '', sort: q.sort ?? 'createdAt', dir: q.dir === 'asc' ? 1 : -1, page: q.page ?? 1 } as const;
      const list = await customers.list({ ...query, roles: roles(q) });
      return reply.render('admin/customers', {
        title: request.t(path === '/admin/users' ? 'admin.users.title' : 'admin.customers.title'),
        path,
        query: { ...query, dir: query.dir === 1 ? 'asc' : 'desc', role: q.role ?? '' },
        showRole: path === '/admin/users',
        list,
      });
    });
  listPage('/admin/customers', () => ['customer']);
  listPage('/admin/users', (q) => (q.role ? [q.role] : ROLES));

  async function detailPage(request: FastifyRequest, reply: FastifyReply, id: string, errors: readonly FieldError[] = [], values: Record<string, string> = {}) {
    const { user, orders } = await customers.detail(acting(request), id);
    if (errors.length > 0) reply.code(422);
    return reply.render('admin/customer', {
      title: user.name || user.email,
      customer: user,
      orders,
      roles: ROLES,
      canChangeRole: request.user?.role === 'admin',
      needsPassword: !isRecentlyConfirmed(request),
      values: { role: user.role, ...values },
      errors: translateErrors(request, errors),
    });
  }

  app.get('/admin/customers/:id', { schema: { params: IdParams } }, async (request, reply) => detailPage(request, reply, request.params.id));

  for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`/admin/customers/:id/${action}`, { schema: { params: IdParams, body: CsrfOnlyBody } }, async (request, reply) => {
      const { id } = request.params;
      try {
        await customers.setDisabled(acting(request), id, disabled);
      } catch (error) {
        if (error instanceof ValidationError) return detailPage(request, reply, id, error.fields);
        throw error;
      }
      reply.flash('success', disabled ? 'admin.customers.disabled' : 'admin.customers.enabled');
      return reply.code(303).redirect(`/admin/customers/${id}`);
    });
  }

  app.post(
    '/admin/customers/:id/role',
    { schema: { params: IdParams, body: RoleBody }, attachValidation: true, config: { adminOnly: true } },
    async (request, reply) => {
      const { id } = request.params;
      const values = stringFields(request.body, ['role']);
      if (request.validationError) return detailPage(request, reply, id, [{ field: 'role', messageKey: 'admin.customers.invalidRole' }], values);
      if (!isRecentlyConfirmed(request)) {
        const password = request.body.password ?? '';
        if (password === '') return detailPage(request, reply, id, [{ field: 'password', messageKey: 'staff.confirm.required' }], values);
        if (!(await services.staffSecurity.checkPassword(request.user?.id ?? '', password))) {
          return detailPage(request, reply, id, [{ field: 'password', messageKey: 'staff.password.wrong' }], values);
        }
        markConfirmed(request);
      }
      try {
        await customers.changeRole(acting(request), id, request.body.role);
      } catch (error) {
        if (error instanceof ValidationError) return detailPage(request, reply, id, error.fields, values);
        throw error;
      }
      reply.flash('success', 'admin.customers.roleChanged');
      return reply.code(303).redirect(`/admin/customers/${id}`);
    },
  );
};
