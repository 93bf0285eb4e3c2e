import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { checkDiscount, type DiscountDoc } from '../../src/modules/checkout/discounts.js';
import { customerKey } from '../../src/modules/checkout/draft.js';
import { discountAmount } from '../../src/modules/checkout/totals.js';

/** The checks a discount code must pass at the checkout (checkDiscount), each with its own reason. */

const NOW = new Date('2025-06-15T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

function code(rules: Partial<DiscountDoc> = {}): DiscountDoc {
  return {
    _id: new ObjectId(), code: 'RULES', kind: 'percentage', value: 1000, minOrder: 0, startsAt: null, endsAt: null,
    usageLimit: 1000, perCustomerLimit: 1, uses: 0, holds: [], active: true, createdAt: NOW, ...rules,
  };
}

describe('discount code rules', () => {
  it('accepts a code within its dates, above its minimum, under its limits', () => {
    expect(checkDiscount(code({ startsAt: new Date(NOW.getTime() - DAY), endsAt: new Date(NOW.getTime() + DAY), minOrder: 1000 }), 1000, NOW, 0)).toBeUndefined();
  });

  it('refuses a code that has not started yet, from the instant before its start', () => {
    expect(checkDiscount(code({ startsAt: new Date(NOW.getTime() + 1) }), 1000, NOW, 0)).toBe('not_started');
    expect(checkDiscount(code({ startsAt: NOW }), 1000, NOW, 0)).toBeUndefined();
  });

  it('refuses a code that has ended, from its end instant on', () => {
    expect(checkDiscount(code({ endsAt: NOW }), 1000, NOW, 0)).toBe('expired');
    expect(checkDiscount(code({ endsAt: new Date(NOW.getTime() + 1) }), 1000, NOW, 0)).toBeUndefined();
  });

  it('refuses a code whose minimum order is above the goods subtotal; exactly the minimum is enough', () => {
    expect(checkDiscount(code({ minOrder: 1001 }), 1000, NOW, 0)).toBe('min_order');
    expect(checkDiscount(code({ minOrder: 1000 }), 1000, NOW, 0)).toBeUndefined();
  });

  it('one use per customer: refused once that customer has used it, while the total limit leaves room', () => {
    const d = code({ uses: 1, usageLimit: 1000, perCustomerLimit: 1 });
    expect(checkDiscount(d, 1000, NOW, 1)).toBe('customer_used_up');
    expect(checkDiscount(d, 1000, NOW, 0)).toBeUndefined();
    expect(checkDiscount(code({ uses: 1000, usageLimit: 1000 }), 1000, NOW, 0)).toBe('used_up');
    expect(checkDiscount(code({ perCustomerLimit: null }), 1000, NOW, 5)).toBeUndefined();
  });

  it('counts a guest by the email, whatever its case or spaces, and a signed-in customer by the account', () => {
    expect(customerKey(null, ' Ana@Example.COM ')).toBe(customerKey(null, 'ana@example.com'));
    expect(customerKey(null, 'ana@example.com')).not.toBe(customerKey(null, 'bea@example.com'));
    const user = new ObjectId();
    expect(customerKey(user, 'ana@example.com')).toBe(`user:${user.toHexString()}`);
  });

  it('names one reason, the first that applies: dates before the minimum, the minimum before the limits', () => {
    expect(checkDiscount(code({ startsAt: new Date(NOW.getTime() + DAY), minOrder: 5000 }), 1000, NOW, 1)).toBe('not_started');
    expect(checkDiscount(code({ endsAt: NOW, minOrder: 5000 }), 1000, NOW, 1)).toBe('expired');
    expect(checkDiscount(code({ minOrder: 5000 }), 1000, NOW, 1)).toBe('min_order');
    expect(checkDiscount(code({ active: false, endsAt: NOW }), 1000, NOW, 0)).toBe('inactive');
    expect(checkDiscount(null, 1000, NOW, 0)).toBe('unknown');
  });

  it('takes a percentage of the goods or a fixed amount, never more than the goods', () => {
    expect(discountAmount('percentage', 1000, 1000)).toBe(100);
    expect(discountAmount('fixed', 200, 1000)).toBe(200);
    expect(discountAmount('fixed', 5000, 1000)).toBe(1000);
  });
});
