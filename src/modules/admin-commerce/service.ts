import { MongoServerError, type ObjectId } from 'mongodb';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { changedFields } from '../audit/service.js';
import type { VersionedCache } from '../catalog/cache.js';
import type { Actor, AuditSink } from '../catalog/editor.js';
import type { DiscountDoc, DiscountEdit, DiscountRepository } from '../checkout/discounts.js';
import type { CheckoutSettings, CheckoutSettingsRepository, ShippingMethod, TaxRate } from '../checkout/settings.js';

/**
 * Commerce settings edited in the back office (admins only): shipping methods and the countries
 * served, tax rates, discount codes. Each save applies only over the version its form read, is
 * recorded in the audit log, and empties the catalog cache (storefront pages are rebuilt at once).
 */

export interface AdminCommerceDeps {
  settings: CheckoutSettingsRepository;
  discounts: DiscountRepository;
  audit: AuditSink;
  cache: VersionedCache;
  clock: () => Date;
}

export type ShippingChange = Pick<CheckoutSettings, 'shippingMethods' | 'countries'>;
export type TaxChange = Pick<CheckoutSettings, 'taxRates' | 'pricesIncludeTax'>;

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

export function createAdminCommerce({ settings, discounts, audit, cache, clock }: AdminCommerceDeps) {
  async function record(actor: Actor, action: string, entity: { type: string; id: string }, before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
    const diff = before && after ? changedFields(before, after) : { before, after };
    await audit.record({ actor, ip: actor.ip, action, entity, ...diff });
  }

  return {
    shipping: () => settings.withVersion('shipping'),
    taxes: () => settings.withVersion('taxes'),

    /** False: the shipping settings were saved meanwhile (nothing written). */
    async saveShipping(actor: Actor, change: ShippingChange, version: number, action = 'shipping.update'): Promise<boolean> {
      const before = await settings.get();
      if (!(await settings.saveSection('shipping', change, version))) return false;
      await cache.invalidate();
      await record(actor, action, { type: 'settings', id: 'shipping' }, plain({ shippingMethods: before.shippingMethods, countries: before.countries }) as Record<string, unknown>, plain(change) as Record<string, unknown>);
      return true;
    },

    async saveTaxes(actor: Actor, change: TaxChange, version: number): Promise<boolean> {
      const before = await settings.get();
      if (!(await settings.saveSection('taxes', change, version))) return false;
      await cache.invalidate();
      await record(actor, 'taxes.update', { type: 'settings', id: 'taxes' }, plain({ taxRates: before.taxRates, pricesIncludeTax: before.pricesIncludeTax }) as Record<string, unknown>, plain(change) as Record<string, unknown>);
      return true;
    },

    listDiscounts: () => discounts.list(),
    discountById: (id: ObjectId) => discounts.findById(id),

    async createDiscount(actor: Actor, edit: DiscountEdit): Promise<DiscountDoc> {
      let doc: DiscountDoc;
      try {
        doc = await discounts.insert({ ...edit, version: 1 }, clock());
      } catch (error) {
        if (error instanceof MongoServerError && error.code === 11000) throw new ValidationError([{ field: 'code', messageKey: 'adminCommerce.discount.error.codeTaken' }]);
        throw error;
      }
      await cache.invalidate();
      await record(actor, 'discount.create', { type: 'discount', id: doc._id.toHexString() }, null, plain(edit) as Record<string, unknown>);
      return doc;
    },

    /** Edits a code's rules; its counters are never touched. A conflict returns the stored code. */
    async updateDiscount(actor: Actor, id: ObjectId, edit: DiscountEdit, version: number): Promise<{ kind: 'saved' } | { kind: 'conflict'; current: DiscountDoc }> {
      const current = await discounts.findById(id);
      if (!current) throw new NotFoundError('No such discount');
      let ok: boolean;
      try {
        ok = (current.version ?? 1) === version && (await discounts.update(id, version, edit));
      } catch (error) {
        if (error instanceof MongoServerError && error.code === 11000) throw new ValidationError([{ field: 'code', messageKey: 'adminCommerce.discount.error.codeTaken' }]);
        throw error;
      }
      if (!ok) return { kind: 'conflict', current: (await discounts.findById(id)) ?? current };
      await cache.invalidate();
      const pick = (d: DiscountEdit): Record<string, unknown> => plain({ code: d.code, kind: d.kind, value: d.value, minOrder: d.minOrder, startsAt: d.startsAt, endsAt: d.endsAt, usageLimit: d.usageLimit, perCustomerLimit: d.perCustomerLimit, active: d.active }) as Record<string, unknown>;
      await record(actor, 'discount.update', { type: 'discount', id: id.toHexString() }, pick(current), pick({ ...edit, code: edit.code.trim().toUpperCase() }));
      return { kind: 'saved' };
    },

    /** False: edited meanwhile or held by an order being placed right now (nothing deleted). */
    async deleteDiscount(actor: Actor, current: DiscountDoc, version: number): Promise<boolean> {
      if (!(await discounts.remove(current._id, version))) return false;
      await cache.invalidate();
      await record(actor, 'discount.delete', { type: 'discount', id: current._id.toHexString() }, plain({ code: current.code, kind: current.kind, value: current.value, uses: current.uses }) as Record<string, unknown>, null);
      return true;
    },
  };
}

export type AdminCommerce = ReturnType<typeof createAdminCommerce>;
export type { ShippingMethod, TaxRate };
