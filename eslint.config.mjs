// Lint set-up: n8n's community-node rules (@n8n/eslint-plugin-community-nodes) and the
// classic eslint-plugin-n8n-nodes-base rule sets, as `n8n-node lint` applies them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import prettierConfig from 'eslint-config-prettier';

const community = n8nCommunityNodesPlugin.configs.recommended;

// Runtime modules a node or credential may import. n8n's cloud rule allows only
// n8n-workflow, luxon and crypto (plus a few others); this package also ships
// fast-xml-parser (to read the AFAS token XML), so the package stays
// self-hosted / unverified, which it is anyway: n8n verifies one service per package.
const allowedRuntimeImport =
	'^(?!(n8n-workflow|luxon|fast-xml-parser|crypto|node:crypto)$)(?!\\.{1,2}/)';

const runtimeImports = {
	regex: allowedRuntimeImport,
	message:
		'Nodes may import only n8n-workflow, luxon, fast-xml-parser, crypto and relative modules.',
};

// What is published (nodes/ and credentials/, compiled into dist/) never imports what is not:
// tsc would follow such an import and compile the sandbox or a test helper into dist/.
const notPublished = {
	regex: '^(\\.\\./)+(sandbox|scripts|test)/',
	message:
		'nodes/ and credentials/ are published: they must not import sandbox/, scripts/ or test/.',
};

// The reconcile engine imports only luxon and its own files; `depth` is how far a file sits
// below engine/ (0 for engine/x.ts, 1 for engine/targets/x.ts), so `../` that leaves it is caught.
function engineImports(depth) {
	return {
		'no-restricted-imports': [
			'error',
			{
				patterns: [
					{
						regex: `^(?!luxon$)(?!\\.{1,2}/)|^(\\.\\./){${depth + 1},}`,
						message: 'The reconcile engine is a pure module: import only luxon and its own files.',
					},
				],
			},
		],
	};
}

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'test-results/**', '**/*.js', '**/*.mjs'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, ...tseslint.configs.recommended],
		rules: {
			'no-console': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		plugins: community.plugins,
		rules: {
			...community.rules,
			// Replaced by core no-restricted-imports below with fast-xml-parser allowed.
			'@n8n/community-nodes/no-restricted-imports': 'off',
			// fast-xml-parser and luxon are runtime dependencies by design (see above).
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [runtimeImports, notPublished],
				},
			],
		},
	},
	{
		// The reconcile engine is pure: data in, plan out. No n8n imports, no clock, no I/O.
		files: ['nodes/ReconcileUsers/engine/*.ts'],
		rules: engineImports(0),
	},
	{
		files: ['nodes/ReconcileUsers/engine/*/**/*.ts'],
		rules: engineImports(1),
	},
	{
		// What every node uses depends on no node.
		files: ['nodes/shared/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						runtimeImports,
						notPublished,
						{
							regex: '^(\\.\\./)+[A-Z]',
							caseSensitive: true,
							message: 'nodes/shared/ is used by every node and imports none of them.',
						},
					],
				},
			],
		},
	},
	{
		// A credential never depends on a node: what both need lives in credentials/common/.
		files: ['credentials/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: allowedRuntimeImport,
							message:
								'Credentials may import only n8n-workflow, luxon, fast-xml-parser, crypto and relative modules.',
						},
						{
							regex: '^\\.\\./(\\.\\./)*nodes/',
							message:
								'A credential must not import a node: move what both need to credentials/common/.',
						},
						notPublished,
					],
				},
			],
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		ignores: ['nodes/ReconcileUsers/engine/**'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...n8nNodesBase.configs.community.rules },
	},
	{
		// The sandbox servers and the scripts reach users through `npm run sandbox`, `npm run demo`
		// and `npm run bench`: they are linted like the nodes, and never import the nodes' code
		// (the bench measures the nodes, so it may).
		files: ['sandbox/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '^\\.\\./(\\.\\./)*(nodes|credentials|test)/',
							message:
								'The sandbox stands in for vendors: it must not import the package or the tests.',
						},
					],
				},
			],
		},
	},
	{
		// Terminal programs: the sandbox CLI, the demo and the bench print to the terminal.
		files: ['sandbox/cli.ts', 'scripts/**/*.ts'],
		rules: { 'no-console': 'off' },
	},
	{
		files: ['test/**/*.ts'],
		rules: {
			'no-console': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-non-null-assertion': 'off',
		},
	},
	// Formatting is Prettier's job (checked by `npm run lint`): switch off rules that disagree.
	prettierConfig,
);
