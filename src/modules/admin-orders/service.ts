import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors.js';
import type { AuditService } from '../audit/service.js';
import type { ActorContext } from '../audit/types.js';
import type { OrdersService } from '../orders/service.js';
import type { StaffOrderActions, ActionResult, Tracking } from '../orders/staff-actions.js';
import type { OrderListFilter, OrderSort, StaffOrderRepository } from '../orders/staff-repository.js';
import { isPlaced, type OrderDoc, type PlacedOrder } from '../orders/types.js';
import type { ManualOrderInput, ManualOrders, ManualOutcome } from './manual-order.js';
import { timelineOf, type TimelineEntry } from './timeline.js';

export const ORDERS_PER_PAGE = 25;
export const BULK_MAX = 100;

export interface OrderListParams extends OrderListFilter {
  sort: OrderSort;
  dir: 1 | -1;
  page: number;
}

export interface AdminOrdersDeps {
  orders: Pick<OrdersService, 'byNumber'>;
  staff: StaffOrderRepository;
  actions: StaffOrderActions;
  manual: ManualOrders;
  audit: Pick<AuditService, 'record'>;
}

export type StatusAction = 'paid' | 'complete' | 'cancel' | 'refund';

export interface TrackingInput {
  carrier: string;
  code: string;
  url: string;
}

/** Tracking fields → a tracking record, or errors (the URL, shown as a link to the customer, must be http(s)). */
export function parseTracking(input: TrackingInput, required: boolean, suffix = ''): { tracking: Tracking | null; errors: FieldError[] } {
  const carrier = input.carrier.trim();
  const code = input.code.trim();
  const url = input.url.trim();
  const errors: FieldError[] = [];
  if (code === '' && carrier === '' && url === '' && !required) return { tracking: null, errors };
  if (code === '') errors.push({ field: `code${suffix}`, messageKey: 'adminOrders.fulfil.error.code' });
  else if (code.length > 100) errors.push({ field: `code${suffix}`, messageKey: 'adminOrders.fulfil.error.code' });
  if (carrier === '' || carrier.length > 100) errors.push({ field: `carrier${suffix}`, messageKey: 'adminOrders.fulfil.error.carrier' });
  if (url !== '') {
    let ok = false;
    try {
      const parsed = new URL(url);
      ok = parsed.protocol === 'https:' || parsed.protocol === 'http:';
    } catch {
      ok = false;
    }
    if (!ok || url.length > 500) errors.push({ field: `url${suffix}`, messageKey: 'adminOrders.fulfil.error.url' });
  }
  return errors.length > 0 ? { tracking: null, errors } : { tracking: { carrier, code, ...(url ? { url } : {}) }, errors };
}

export function createAdminOrdersService(deps: AdminOrdersDeps) {
  const { staff, actions, audit } = deps;

  async function load(number: number): Promise<PlacedOrder> {
    const order = await deps.orders.byNumber(number);
    if (!order) throw new NotFoundError(`No order ${number}`);
    return order;
  }

  async function record(actor: ActorContext, action: string, before: OrderDoc, after: Record<string, unknown>): Promise<void> {
    await audit.record({ actor, action, entity: { type: 'order', id: String(before.number) }, before: { status: before.status }, after, ip: actor.ip });
  }

  return {
    async list(params: OrderListParams) {
      const total = await staff.count(params);
      const pages = Math.max(1, Math.ceil(total / ORDERS_PER_PAGE));
      const page = Math.min(Math.max(1, params.page), pages);
      const items = (await staff.list({ ...params, skip: (page - 1) * ORDERS_PER_PAGE, limit: ORDERS_PER_PAGE })).filter(isPlaced);
      return { items, total, page, pages };
    },

    stream: (filter: OrderListFilter, sort: OrderSort, dir: 1 | -1) => staff.stream(filter, sort, dir),

    async recordExport(actor: ActorContext, filter: OrderListFilter): Promise<void> {
      await audit.record({ actor, action: 'order.export', entity: { type: 'order', id: '*' }, before: null, after: { q: filter.q, status: filter.status }, ip: actor.ip });
    },

    async detail(number: number): Promise<{ order: PlacedOrder; timeline: TimelineEntry[]; needsTracking: boolean }> {
      const order = await load(number);
      return { order, timeline: timelineOf(order), needsTracking: actions.needsTracking(order) };
    },

    load,

    /** A status change by staff; false when the order is no longer in a status it can leave that way. */
    async changeStatus(actor: ActorContext, number: number, action: StatusAction, options: { returned?: boolean } = {}): Promise<ActionResult> {
      const order = await load(number);
      let result: ActionResult;
      if (action === 'paid') result = await actions.markPaid(order, actor.email);
      else if (action === 'complete') result = await actions.complete(order, actor.email);
      else if (action === 'cancel') result = await actions.cancel(order, actor.email);
      else result = await actions.refund(order, options.returned === true, actor.email);
      if (result.ok) await record(actor, `order.${action}`, order, { status: result.order.status, ...(action === 'refund' ? { restocked: result.order.restock === 'due' } : {}) });
      return result;
    },

    /** paid → fulfilled; the tracking number is required unless the order is picked up or digital only. */
    async fulfil(actor: ActorContext, number: number, input: TrackingInput): Promise<ActionResult> {
      const order = await load(number);
      const { tracking, errors } = parseTracking(input, actions.needsTracking(order));
      if (errors.length > 0) throw new ValidationError(errors);
      const result = await actions.fulfil(order, tracking, actor.email);
      if (result.ok) await record(actor, 'order.fulfil', order, { status: 'fulfilled', tracking });
      return result;
    },

    /** The selected orders for the bulk form: which can be fulfilled (paid), and whether each needs tracking. */
    async forBulk(numbers: readonly number[]): Promise<{ order: PlacedOrder; eligible: boolean; needsTracking: boolean }[]> {
      const orders = (await staff.findByNumbers(numbers.slice(0, BULK_MAX))).filter(isPlaced);
      return orders.map((order) => ({ order, eligible: order.status === 'paid', needsTracking: actions.needsTracking(order) }));
    },

    /**
     * Fulfils several paid orders, each with its own tracking number (`inputs` by order number).
     * All inputs are checked first; nothing changes while one is invalid.
     */
    async bulkFulfil(actor: ActorContext, inputs: ReadonlyMap<number, TrackingInput>): Promise<{ done: number[]; skipped: number[] }> {
      const orders = (await staff.findByNumbers([...inputs.keys()])).filter(isPlaced);
      const errors: FieldError[] = [];
      const plan: { order: PlacedOrder; tracking: Tracking | null }[] = [];
      for (const order of orders) {
        if (order.status !== 'paid') continue;
        const input = inputs.get(order.number) ?? { carrier: '', code: '', url: '' };
        const parsed = parseTracking(input, actions.needsTracking(order), `_${order.number}`);
        errors.push(...parsed.errors);
        plan.push({ order, tracking: parsed.tracking });
      }
      if (errors.length > 0) throw new ValidationError(errors);
      const done: number[] = [];
      for (const { order, tracking } of plan) {
        const result = await actions.fulfil(order, tracking, actor.email);
        if (!result.ok) continue;
        done.push(order.number);
        await record(actor, 'order.fulfil', order, { status: 'fulfilled', tracking, bulk: true });
      }
      const skipped = [...inputs.keys()].filter((n) => !done.includes(n));
      return { done, skipped };
    },

    async addNote(actor: ActorContext, number: number, text: string): Promise<void> {
      const clean = text.trim();
      if (clean === '') throw new ValidationError([{ field: 'note', messageKey: 'adminOrders.note.error.empty' }]);
      if (clean.length > 2000) throw new ValidationError([{ field: 'note', messageKey: 'adminOrders.note.error.long', params: { max: 2000 } }]);
      const order = await load(number);
      await actions.addNote(order, clean, actor.email);
      await audit.record({ actor, action: 'order.note', entity: { type: 'order', id: String(order.number) }, before: null, after: { note: clean }, ip: actor.ip });
    },

    /** Paid on the spot (`paid`): the order is marked paid right after it was placed. */
    async createManual(actor: ActorContext, input: ManualOrderInput, paid: boolean): Promise<ManualOutcome> {
      const outcome = await deps.manual.create(input);
      if (outcome.kind !== 'placed' || outcome.replay) return outcome;
      let order = outcome.order;
      await actions.recordManual(order, actor.email);
      if (paid) {
        const result = await actions.markPaid(order, actor.email);
        if (result.ok) order = result.order;
      }
      await audit.record({
        actor, action: 'order.create', entity: { type: 'order', id: String(order.number) }, before: null,
        after: { status: order.status, email: order.email, total: order.total, lines: order.lines.map((l) => ({ sku: l.sku, qty: l.qty })) }, ip: actor.ip,
      });
      return { ...outcome, order };
    },
  };
}

export type AdminOrdersService = ReturnType<typeof createAdminOrdersService>;
