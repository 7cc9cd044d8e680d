// The layering the code keeps (docs/architecture.md §1), checked by `npm run lint:deps` in
// `npm test`: app/ → lib/shop, lib/payments, lib/console → lib/gateway, lib/db, with lib/sandbox
// beside them and lib/web for the HTTP edges; no import cycles; nothing in lib/ imports Next.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'Modules import each other in one direction only.', from: {}, to: { circular: true } },
    {
      name: 'lib-without-next',
      severity: 'error',
      comment: 'lib/ is framework-free: routes and actions in app/ are thin.',
      from: { path: '^lib/' },
      to: { path: '^node_modules/(next|react|react-dom)/' },
    },
    { name: 'lib-without-app', severity: 'error', from: { path: '^lib/' }, to: { path: '^(app|proxy|instrumentation)' } },
    {
      name: 'bottom-layer',
      severity: 'error',
      comment:
        'lib/gateway and lib/db know nothing of the shop, its payments, its console or the sandbox (the attempt-state type of the state column excepted).',
      from: { path: '^lib/(gateway|db)/' },
      to: { path: '^lib/(shop|payments|console|sandbox|web)/', dependencyTypesNot: ['type-only'] },
    },
    { name: 'payments-below-shop-and-console', severity: 'error', from: { path: '^lib/payments/' }, to: { path: '^lib/(shop|console)/' } },
    {
      name: 'shop-and-console-apart',
      severity: 'error',
      from: { path: '^lib/(shop|console)/' },
      to: { path: '^lib/(shop|console)/', pathNot: '^lib/$1/' },
    },
    {
      name: 'sandbox-is-a-guest',
      severity: 'error',
      comment: 'The sandbox stands in for the bank: the shop never imports it, it never imports the shop.',
      from: { path: '^lib/(shop|payments|console)/' },
      to: { path: '^lib/sandbox/' },
    },
    { name: 'sandbox-apart', severity: 'error', from: { path: '^lib/sandbox/' }, to: { path: '^lib/(shop|payments|console)/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs'],
    },
  },
};
