import { ObjectId } from 'mongodb';
import type { CustomerOrders, OrderSummary } from '../accounts/types.js';
import type { OrdersService } from './service.js';
import type { PlacedOrder } from './types.js';

/** The accounts module's view of a customer's orders (src/modules/accounts/types.ts), over the orders service. */

function summary(order: PlacedOrder): OrderSummary {
  return { id: order._id.toHexString(), number: String(order.number), placedAt: order.placedAt ?? order.createdAt, status: order.status, total: order.total };
}

export function customerOrdersOf(orders: Pick<OrdersService, 'forUser' | 'get' | 'anonymiseCustomer'>): CustomerOrders {
  return {
    async listForUser(userId) {
      return (await orders.forUser(userId)).map(summary);
    },
    async findForUser(userId, orderId) {
      if (!/^[0-9a-f]{24}$/.test(orderId)) return null;
      const order = await orders.get(new ObjectId(orderId));
      return order && order.userId?.equals(userId) ? summary(order) : null;
    },
    async anonymiseCustomer(userId) {
      await orders.anonymiseCustomer(userId);
    },
  };
}
