'use server';
// Cart mutations: plain <form> posts (they work without JavaScript) that validate with zod,
// rewrite the `cart` cookie and redirect to /cart (post/redirect/get: a reload never re-posts).
// Bad input changes nothing: the action returns and the page renders as it was. Honest shoppers
// never get there, as the inputs carry the same limits (min/max/required) for the browser.
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { findProduct } from '@/lib/shop/catalogue';
import { MAX_QUANTITY, addToCart, setQuantity } from '@/lib/shop/cart';
import { formOf } from '@/app/_server/action-form';
import { readCart, writeCart } from '@/app/_server/cart-cookie';

const slugSchema = z.string().refine((slug) => findProduct(slug) !== undefined, 'unknown product');
// Digits only: z.coerce would turn '' into 0 (a silent removal) and '1e1' into 10.
const quantitySchema = (min: number) =>
  z
    .string()
    .regex(/^\d{1,2}$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(MAX_QUANTITY));

const addSchema = z.object({ slug: slugSchema, quantity: quantitySchema(1) });
const setSchema = z.object({ slug: slugSchema, quantity: quantitySchema(0) });

function fieldsOf(formData: FormData) {
  const form = formOf(formData);
  return { slug: form.get('slug'), quantity: form.get('quantity') };
}

/** What the product page shows after an "add" that kept the shopper there. */
export type AddToCartState = { added: number; seq: number };

/**
 * Product page: add 1–20 of a product. Without JavaScript the form posts and the shopper lands
 * on the cart, as always; with it, the form also sends `stay` (added by the script after
 * hydration) and the page stays, confirming in place (the badge follows the cookie).
 */
export async function addToCartAction(previous: AddToCartState, formData: FormData): Promise<AddToCartState> {
  const form = formOf(formData);
  const input = addSchema.safeParse(fieldsOf(form));
  if (!input.success) return previous;
  await writeCart(addToCart(await readCart(), input.data.slug, input.data.quantity));
  if (form.get('stay') !== 'yes') redirect('/cart');
  return { added: input.data.quantity, seq: previous.seq + 1 };
}

/** Cart page: set a line's quantity to 0–20; 0 removes the line (the "remove" button sends 0). */
export async function setQuantityAction(formData: FormData): Promise<void> {
  const input = setSchema.safeParse(fieldsOf(formData));
  if (!input.success) return;
  await writeCart(setQuantity(await readCart(), input.data.slug, input.data.quantity));
  redirect('/cart');
}
