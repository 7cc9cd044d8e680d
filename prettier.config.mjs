// Layout only; ESLint (eslint.config.mjs) checks the rest. 140 columns: the width the code keeps
// (long strings and comments are not wrapped by Prettier; they stay under the same limit by hand).
const config = {
  printWidth: 140,
  singleQuote: true,
  trailingComma: 'all',
};

export default config;
