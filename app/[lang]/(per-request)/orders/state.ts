// The "find my orders" form's state between the server action and the form (plain data: it
// crosses to the browser and back). Nothing in it depends on whether the address has orders.
import type { LookupError } from '@/lib/shop/find-orders';

export type FindOrdersState = {
  email: string;
  error?: LookupError;
  outcome?: 'sent' | 'rate-limited';
};

export const EMPTY_FIND_STATE: FindOrdersState = { email: '' };
