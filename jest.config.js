/** Tests run against the real emulators, which globalSetup starts and globalTeardown stops. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The reliability cases run on their own: npm run test:reliability.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/reliability/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // After each file: every answer and Chat API write the tests produced is checked against
  // Google's schema, and no token, secret or message text is in any log line the app wrote.
  setupFilesAfterEnv: ['<rootDir>/test/schema/setup.ts', '<rootDir>/test/log-hygiene.setup.ts'],
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  testTimeout: 30000,
  maxWorkers: 2,
};
