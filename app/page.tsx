import { getEnv } from '@/lib/env';

export const dynamic = 'force-dynamic';

export default function HomePage() {
  const env = getEnv();
  return (
    <main>
      <h1>Mir Pay Shop</h1>
      <p>
        Gateway: <code>{env.gateway.baseUrl}</code>
        {env.sandbox.enabled ? ' (built-in sandbox)' : ''}
      </p>
    </main>
  );
}
