/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		// Type checking is done once by `npm run typecheck`; jest only transpiles.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 30000,
	// The real-n8n tests start n8n processes: keep them from starving each other.
	maxWorkers: 2,
	setupFiles: ['<rootDir>/test/helpers/jest.setup.ts'],
};
