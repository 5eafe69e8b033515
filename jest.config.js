/** npm test runs tsc first (type checks once); ts-jest then only transpiles
 *  (isolatedModules in tsconfig), so the 8 MB of imports/ are not re-checked per file. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 120000,
};
