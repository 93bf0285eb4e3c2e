import type { BankInstructions, PaymentMethodId, PaymentOrder, PaymentProvider, PaymentResult } from './types.js';

/**
 * The offline providers: no money moves through the shop. Staff record the payment (capture)
 * when the transfer arrives or the courier hands the cash over; refunds are made by hand.
 */

export function bankTransferProvider(bank: () => Promise<Omit<BankInstructions, 'reference' | 'amount'>>): PaymentProvider {
  return {
    id: 'bank_transfer',
    autoCancelUnpaid: true,
    async authorize(order: PaymentOrder): Promise<PaymentResult> {
      const details = await bank();
      return { status: 'awaiting', instructions: { ...details, reference: String(order.number), amount: order.total } };
    },
    async capture(): Promise<PaymentResult> {
      return { status: 'captured' };
    },
    async refund(): Promise<PaymentResult> {
      return { status: 'refunded' };
    },
    async handleWebhook() {
      return null;
    },
  };
}

export function cashOnDeliveryProvider(): PaymentProvider {
  return {
    id: 'cash_on_delivery',
    autoCancelUnpaid: false,
    async authorize(): Promise<PaymentResult> {
      return { status: 'awaiting' };
    },
    async capture(): Promise<PaymentResult> {
      return { status: 'captured' };
    },
    async refund(): Promise<PaymentResult> {
      return { status: 'refunded' };
    },
    async handleWebhook() {
      return null;
    },
  };
}

export type PaymentProviders = ReadonlyMap<PaymentMethodId, PaymentProvider>;

export function providerMap(list: readonly PaymentProvider[]): PaymentProviders {
  return new Map(list.map((p) => [p.id, p]));
}
