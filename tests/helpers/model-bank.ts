// A small model of the bank for property tests: the gateway's order life cycle (created, approved,
// deposited, reversed, refunded, declined) and the shopper's and the bank's own moves, answered
// through the real gateway client (its `fetch` stand-in), so the shop's code under test is the one
// that runs against the real gateway. Not a sandbox: no pages, no callbacks, no faults.
import { randomUUID } from 'node:crypto';
import { createGatewayClient, type GatewayClient } from '../../lib/gateway/client';

export type BankOrder = {
  id: string;
  orderNumber: string;
  amount: number;
  twoStage: boolean;
  status: 0 | 1 | 2 | 3 | 4 | 6;
  actionCode: number;
  approved: number;
  deposited: number;
  refunded: number;
  /** deposit.do calls received, whatever their outcome: at most one per hold. */
  depositCalls: number;
};

export const BANK_ORIGIN = 'https://bank.test';

export class ModelBank {
  readonly orders = new Map<string, BankOrder>();
  readonly client: GatewayClient = createGatewayClient({
    baseUrl: `${BANK_ORIGIN}/payment/rest/`,
    auth: { userName: 'model-api', password: 'model' },
    statusRetries: 0,
    fetch: async (input, init) => this.answer(String(input), new URLSearchParams(String(init?.body ?? ''))),
  });

  /** The shopper pays on the bank's page: held (two-stage) or taken at once. */
  pay(id: string) {
    const order = this.orders.get(id)!;
    if (order.status !== 0) return;
    Object.assign(order, {
      status: order.twoStage ? 1 : 2,
      actionCode: 0,
      approved: order.amount,
      deposited: order.twoStage ? 0 : order.amount,
    });
  }

  /** A try declined by the issuer: the order stays open for another try. */
  declineTry(id: string) {
    const order = this.orders.get(id)!;
    if (order.status === 0) order.actionCode = 116;
  }

  /** The order's lifetime ends unpaid. */
  expire(id: string) {
    const order = this.orders.get(id)!;
    if (order.status === 0) Object.assign(order, { status: 6, actionCode: -2007 });
  }

  /** An uncaptured hold the bank reverses by itself after its days. */
  reverseHold(id: string) {
    const order = this.orders.get(id)!;
    if (order.status === 1) order.status = 3;
  }

  private answer(url: string, form: URLSearchParams): Response {
    const method = url.slice(url.lastIndexOf('/') + 1);
    const ok = (body: object) => Response.json({ errorCode: '0', errorMessage: 'Успешно', ...body });
    const refuse = (errorCode: string, errorMessage: string) => Response.json({ errorCode, errorMessage });
    if (method === 'register.do' || method === 'registerPreAuth.do') {
      const id = randomUUID();
      const order: BankOrder = {
        id,
        orderNumber: form.get('orderNumber')!,
        amount: Number(form.get('amount')),
        twoStage: method === 'registerPreAuth.do',
        status: 0,
        actionCode: -100,
        approved: 0,
        deposited: 0,
        refunded: 0,
        depositCalls: 0,
      };
      this.orders.set(id, order);
      return ok({ orderId: id, formUrl: `${BANK_ORIGIN}/payment/merchants/shop/payment_ru.html?mdOrder=${id}` });
    }
    const order =
      this.orders.get(form.get('orderId') ?? '') ?? [...this.orders.values()].find((o) => o.orderNumber === form.get('orderNumber'));
    if (!order) return refuse('6', 'Заказ не найден');
    switch (method) {
      case 'getOrderStatusExtended.do':
        return ok({
          orderNumber: order.orderNumber,
          orderStatus: order.status,
          actionCode: order.actionCode,
          amount: order.amount,
          currency: '643',
          date: 1_700_000_000_000,
          attributes: [{ name: 'mdOrder', value: order.id }],
          paymentAmountInfo: { approvedAmount: order.approved, depositedAmount: order.deposited, refundedAmount: order.refunded },
        });
      case 'deposit.do':
        order.depositCalls++;
        if (order.status !== 1) return refuse('7', 'Неверное состояние заказа');
        Object.assign(order, { status: 2, deposited: Number(form.get('amount')) });
        return ok({});
      case 'decline.do':
        if (order.status !== 0) return refuse('7', 'Неверное состояние заказа');
        Object.assign(order, { status: 6, actionCode: -2010 });
        return ok({});
      case 'reverse.do':
        if (order.status !== 1 && order.status !== 2) return refuse('7', 'Неверное состояние заказа');
        order.status = 3;
        return ok({});
      case 'refund.do': {
        const amount = Number(form.get('amount'));
        if (order.status !== 2 || amount > order.deposited - order.refunded) return refuse('7', 'Неверная сумма');
        order.refunded += amount;
        if (order.refunded === order.deposited) order.status = 4;
        return ok({});
      }
      default:
        return refuse('5', 'Метод не поддерживается');
    }
  }
}
