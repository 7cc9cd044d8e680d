// The REST surface, /payment/rest/<method>.do: every path here is a method to the bank, one it does
// not offer is refused in JSON (../rest.ts). A fault rule, when one matches, answers instead
// (../faults.ts).
import { json } from '../http';
import { respondWithFault } from '../faults';
import { applyLatency } from '../latency';
import type { SandboxParts } from './parts';

export async function restMethod(parts: SandboxParts, request: Request, url: URL, name: string): Promise<Response> {
  const { rest, faults, clientIp, options } = parts;
  // Before the call is performed, as the network's delay before the bank sees the request.
  await applyLatency(options.latency, request.signal);
  // The bank takes POST form bodies and, in practice, GET query strings (docs/gateway-api.md §1.2).
  const params = request.method.toUpperCase() === 'POST' ? new URLSearchParams(await request.text()) : url.searchParams;
  const named = (key: string) => params.get(key)?.trim() || undefined;
  const fault = await faults.take({ method: `${name}.do`, orderId: named('orderId'), orderNumber: named('orderNumber') });
  if (fault) {
    return respondWithFault(fault, {
      perform: () => rest.call(name, params, { callerIp: clientIp(request) }),
      skip: () => rest.recordSkipped(name, params),
      signal: request.signal,
    });
  }
  return json(await rest.call(name, params, { callerIp: clientIp(request) }));
}
