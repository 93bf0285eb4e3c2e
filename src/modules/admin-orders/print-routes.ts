import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { pick } from '../catalog/translated.js';
import type { Translated } from '../catalog/types.js';
import { PAYMENT_LABEL_KEYS } from '../payments/types.js';
import type { ModuleContext } from '../types.js';
import { NumberParams } from './schemas.js';

/**
 * Printable documents: a packing slip (no prices) and an invoice. Plain pages with their own print
 * layout (views/admin/orders/print-layout.eta, print rules in css/admin.css); no script: the
 * browser's print command prints them.
 */
export const printRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  for (const doc of ['packing-slip', 'invoice'] as const) {
    app.get(`/admin/orders/:number/${doc}`, { schema: { params: NumberParams } }, async (request, reply) => {
      const order = await services.adminOrders.load(Number(request.params.number));
      const shop = await services.site.getSettings();
      const titleKey = doc === 'invoice' ? 'adminOrders.invoice.title' : 'adminOrders.slip.title';
      return reply.render(`admin/orders/${doc}`, {
        title: request.t(titleKey, { number: String(order.number) }),
        order,
        shopName: shop.shopName,
        tr: (text: Translated) => pick(text, request.locale),
        paymentLabelKeys: PAYMENT_LABEL_KEYS,
      });
    });
  }
};
