// Lint rules every file in the repository follows (`npm run lint`, run by CI).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'drizzle/', 'test/gql/', 'src/client/gql/', '.data/', 'coverage/'] },
  ...tseslint.configs.strict,
  {
    rules: {
      // `any` is allowed at the edges where untyped JSON is parsed; tests use it for GraphQL bodies.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
      'prefer-const': 'error',
    },
  },
);
