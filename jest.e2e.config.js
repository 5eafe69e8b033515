/** npm run e2e: the live local control plane (src/dev/cluster.ts), files in name order. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  testSequencer: '<rootDir>/test/e2e/sequencer.js',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 900000,
};
