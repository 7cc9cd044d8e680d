// ESLint: Next.js's rules (core web vitals, React, hooks, accessibility) with typescript-eslint,
// and Prettier for layout (prettier.config.mjs), so the two never argue. Run by `npm run lint`.
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';
import prettier from 'eslint-config-prettier/flat';

const config = [
  ...nextVitals,
  ...nextTypescript,
  prettier,
  {
    rules: {
      // Unused names are mistakes, except the deliberate `_rest` of a destructuring.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Prettier's width, for what Prettier does not wrap (comments); a long string, URL or regex may run on.
      'max-len': ['error', { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  // The shopper's pages link with IntentLink, which prefetches on a touch, not as the page loads
  // (app/_components/intent-link.tsx says why); the merchant console keeps next/link.
  {
    files: ['app/\\[lang\\]/**', 'app/_components/**'],
    ignores: ['app/_components/intent-link.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'next/link', message: 'Use IntentLink (app/_components/intent-link.tsx): no prefetch until the shopper shows intent.' },
          ],
        },
      ],
    },
  },
  // CommonJS entry points (Node's -r preloads) are required, not imported.
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { ignores: ['.next/**', '.data/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-results/**', 'next-env.d.ts'] },
];

export default config;
