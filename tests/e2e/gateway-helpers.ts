// E2E helpers: register orders through the real gateway client against the running app's sandbox.
import { createGatewayClient, type GatewayClient } from '../../lib/gateway/client';
import type { RegisterResponse } from '../../lib/gateway/schemas';
import { E2E_ENV } from './web-server';

export function sandboxClient(baseURL: string): GatewayClient {
  return createGatewayClient({
    baseUrl: `${baseURL}/sandbox/payment/rest/`,
    // The e2e servers run with their own credentials (tests/e2e-env.json): the sandbox takes those.
    auth: { userName: E2E_ENV.GATEWAY_USERNAME!, password: E2E_ENV.GATEWAY_PASSWORD! },
  });
}

let counter = 0;

export async function registerOrder(
  baseURL: string,
  options: { twoStage?: boolean; amount?: number; pageView?: 'MOBILE' | 'DESKTOP'; language?: 'ru' | 'en' } = {},
): Promise<RegisterResponse & { orderNumber: string }> {
  const client = sandboxClient(baseURL);
  const orderNumber = `E2E-${Date.now().toString(36)}-${++counter}`;
  const request = {
    orderNumber,
    amount: options.amount ?? 249_000,
    returnUrl: `${baseURL}/?result=ok`,
    failUrl: `${baseURL}/?result=fail`,
    pageView: options.pageView ?? 'MOBILE',
    language: options.language ?? 'ru',
    description: 'Заказ из e2e-теста',
  } as const;
  const registered = options.twoStage ? await client.registerPreAuth(request) : await client.register(request);
  return { ...registered, orderNumber };
}
