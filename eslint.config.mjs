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
  // CommonJS entry points (Node's -r preloads) are required, not imported.
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { ignores: ['.next/**', '.data/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-results/**', 'next-env.d.ts'] },
];

export default config;
