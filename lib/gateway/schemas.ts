// zod schemas of the gateway's requests and responses (classic REST protocol, docs/gateway-api.md §2–§5).
// Requests are validated before anything goes on the wire; responses are validated before anything
// is believed. Field shapes follow the real captures in docs/gateway-api.md §3.5.
import { z } from 'zod';

/** Some deployments send numbers as strings and vice versa (docs/gateway-api.md §1.4, §3.2). */
export const intLike = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);

/** errorCode: "0"/0 or absent on success; a string or a number otherwise (docs/gateway-api.md §1.4). */
export const errorCodeSchema = z.union([z.string(), z.number()]).optional();

/** The fields every response may carry; business errors come with HTTP 200 and a non-zero errorCode. */
export const envelopeSchema = z.looseObject({
  errorCode: errorCodeSchema,
  errorMessage: z.string().optional(),
});

const absoluteUrl = z.url({ protocol: /^https?$/ }).max(512);
const orderNumber = z.string().min(1).max(32);
const gatewayOrderId = z.string().min(1).max(36);
const kopecks = z.number().int().min(1).max(999_999_999_999);
export const languageSchema = z.enum(['ru', 'en']);
export type Language = z.infer<typeof languageSchema>;

const bundleItem = z.object({
  positionId: z.number().int().min(1),
  name: z.string().min(1).max(100),
  quantity: z.object({ value: z.number().positive(), measure: z.string().min(1) }),
  itemAmount: z.number().int().min(0),
  itemCode: z.string().min(1).max(100),
  itemPrice: z.number().int().min(0),
  tax: z.object({ taxType: z.number().int() }).optional(),
  // 54-FZ per-line attributes: paymentMethod (1 full prepayment), paymentObject (1 goods, 4 service).
  itemAttributes: z.object({ attributes: z.array(z.object({ name: z.string(), value: z.string() })) }).optional(),
});

/** orderBundle (54-FZ cart), sent as a JSON string inside the form body (docs/gateway-api.md §2.1). */
export const orderBundleSchema = z.object({
  orderCreationDate: z.string().optional(),
  customerDetails: z.object({ email: z.string().optional(), phone: z.string().optional() }).optional(),
  cartItems: z.object({ items: z.array(bundleItem).min(1) }),
});
export type OrderBundle = z.infer<typeof orderBundleSchema>;

export const registerRequestSchema = z.object({
  orderNumber,
  amount: kopecks,
  currency: z
    .string()
    .regex(/^\d{3}$/)
    .default('643'),
  returnUrl: absoluteUrl,
  failUrl: absoluteUrl.optional(),
  description: z.string().max(598).optional(),
  language: languageSchema.optional(),
  pageView: z.enum(['MOBILE', 'DESKTOP']).optional(),
  jsonParams: z.record(z.string(), z.string()).optional(),
  orderBundle: orderBundleSchema.optional(),
  sessionTimeoutSecs: z.number().int().min(1).max(999_999_999).optional(),
  dynamicCallbackUrl: absoluteUrl.optional(),
  clientId: z.string().max(255).optional(),
  email: z.string().max(40).optional(),
  phone: z
    .string()
    .regex(/^\+?\d{7,15}$/)
    .optional(),
});
export type RegisterRequest = z.input<typeof registerRequestSchema>;

export const registerResponseSchema = z.object({
  orderId: gatewayOrderId,
  formUrl: absoluteUrl,
});
export type RegisterResponse = z.infer<typeof registerResponseSchema>;

/** By the gateway's orderId, or by our orderNumber (the lookup after a register that timed out). */
export const statusRequestSchema = z.union([
  z.object({ orderId: gatewayOrderId, language: languageSchema.optional() }),
  z.object({ orderNumber, language: languageSchema.optional() }),
]);
export type StatusRequest = z.input<typeof statusRequestSchema>;

const nameValue = z.object({ name: z.string(), value: z.string().optional().default('') });

export const paymentStateSchema = z.enum(['CREATED', 'APPROVED', 'DEPOSITED', 'DECLINED', 'REVERSED', 'REFUNDED']);

const cardAuthInfoSchema = z.looseObject({
  maskedPan: z.string().optional(),
  pan: z.string().optional(),
  expiration: z.union([z.string(), z.number()]).transform(String).optional(),
  cardholderName: z.string().optional(),
  // The Sber "ecom" spec spells it cardHolderName (docs/gateway-api.md §3.2); accept both.
  cardHolderName: z.string().optional(),
  approvalCode: z.string().optional(),
  paymentSystem: z.string().optional(),
  paymentWay: z.string().optional(),
});

export const statusResponseSchema = z.looseObject({
  errorCode: errorCodeSchema,
  errorMessage: z.string().optional(),
  orderNumber: z.string(),
  orderStatus: intLike,
  actionCode: intLike,
  actionCodeDescription: z.string().optional().default(''),
  amount: intLike,
  currency: z.union([z.string(), z.number()]).transform(String).optional(),
  date: intLike,
  orderDescription: z.string().optional(),
  ip: z.string().optional(),
  merchantOrderParams: z.array(nameValue).optional().default([]),
  attributes: z.array(nameValue).optional().default([]),
  cardAuthInfo: cardAuthInfoSchema.optional(),
  authDateTime: intLike.optional(),
  terminalId: z.string().optional(),
  authRefNum: z.string().optional(),
  paymentAmountInfo: z
    .looseObject({
      paymentState: z.string().optional(),
      approvedAmount: intLike.optional().default(0),
      depositedAmount: intLike.optional().default(0),
      refundedAmount: intLike.optional().default(0),
      feeAmount: intLike.optional(),
      totalAmount: intLike.optional(),
    })
    .optional(),
  bankInfo: z.looseObject({}).optional(),
  paymentWay: z.string().optional(),
  depositedDate: intLike.optional(),
  chargeback: z.boolean().optional(),
  refunds: z.array(z.looseObject({ amount: intLike.optional(), date: intLike.optional() })).optional(),
});
export type StatusResponse = z.infer<typeof statusResponseSchema>;

export const depositRequestSchema = z.object({
  orderId: gatewayOrderId,
  // Never 0: the bank reads 0 as "deposit everything that is held" (docs/gateway-api.md §4).
  amount: kopecks,
  language: languageSchema.optional(),
});
export type DepositRequest = z.input<typeof depositRequestSchema>;

export const reverseRequestSchema = z.object({
  orderId: gatewayOrderId,
  amount: kopecks.optional(),
  language: languageSchema.optional(),
});
export type ReverseRequest = z.input<typeof reverseRequestSchema>;

/** Receipt lines of a partial refund (54-FZ): lines of the registered orderBundle (gateway-api.md §5). */
export const refundItemsSchema = z.object({ items: z.array(bundleItem).min(1) });
export type RefundItems = z.infer<typeof refundItemsSchema>;

export const refundRequestSchema = z
  .object({
    orderId: gatewayOrderId,
    // Never 0: the bank reads 0 as "refund everything that is left" (gateway-api.md §5).
    amount: kopecks,
    language: languageSchema.optional(),
    refundItems: refundItemsSchema.optional(),
  })
  .refine((r) => !r.refundItems || r.refundItems.items.reduce((sum, item) => sum + item.itemAmount, 0) === r.amount, {
    message: 'refundItems must add up to amount',
    path: ['refundItems'],
  });
export type RefundRequest = z.input<typeof refundRequestSchema>;

export const declineRequestSchema = z.union([
  z.object({ orderId: gatewayOrderId, language: languageSchema.optional() }),
  z.object({ orderNumber, language: languageSchema.optional() }),
]);
export type DeclineRequest = z.input<typeof declineRequestSchema>;

/** deposit/reverse/refund/decline answer only with the envelope (docs/gateway-api.md §4, §5). */
export const acknowledgementSchema = envelopeSchema;
export type Acknowledgement = z.infer<typeof acknowledgementSchema>;
