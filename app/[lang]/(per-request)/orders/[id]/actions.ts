'use server';
// "Try again" on a failed or expired order: a plain form post. A new attempt (new orderNumber) is
// registered for the same order and amount; the shopper goes straight to the bank's page.
import { redirect } from 'next/navigation';
import { formOf } from '@/app/_server/action-form';
import { writeCheckoutOrder } from '@/app/_server/checkout-cookie';
import { isMobileBrowser } from '@/app/_server/client-hints';
import { getServices } from '@/app/_server/services';
import { retryPayment } from '@/lib/shop/checkout';
import { inRequest } from '@/app/_server/request-id';

export async function retryPaymentAction(formData: FormData): Promise<void> {
  return inRequest(() => retryPaymentActionInRequest(formData));
}

async function retryPaymentActionInRequest(formData: FormData): Promise<void> {
  const orderId = String(formOf(formData).get('orderId') ?? '');
  const services = await getServices();
  const result = await retryPayment(services.shop, orderId, await isMobileBrowser());
  if (result.ok) {
    await writeCheckoutOrder(result.orderId);
    redirect(result.formUrl);
  }
  const page = `/orders/${encodeURIComponent(orderId)}`;
  redirect(result.reason === 'gateway-unavailable' || result.reason === 'gateway-refused' ? `${page}?retry=failed` : page);
}
