// E2E helpers: register orders through the real gateway client against the running app's sandbox.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createGatewayClient, type GatewayClient } from '../../lib/gateway/client';
import type { RegisterResponse } from '../../lib/gateway/schemas';

export function sandboxClient(baseURL: string): GatewayClient {
  return createGatewayClient({
    baseUrl: `${baseURL}/sandbox/payment/rest/`,
    // The e2e servers run with their own credentials (tests/e2e-env.json): the sandbox takes those.
    auth: { userName: e2eEnv.GATEWAY_USERNAME!, password: e2eEnv.GATEWAY_PASSWORD! },
  });
}

const e2eEnv = JSON.parse(readFileSync(path.join(__dirname, '../e2e-env.json'), 'utf8')) as Record<string, string>;

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
