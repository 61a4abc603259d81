// Prettier settings of n8n's community-node starter (tabs, single quotes, 100 columns).
// `npm run lint` checks them; `npm run format` applies them.
module.exports = {
	semi: true,
	trailingComma: 'all',
	bracketSpacing: true,
	useTabs: true,
	tabWidth: 2,
	arrowParens: 'always',
	singleQuote: true,
	quoteProps: 'as-needed',
	endOfLine: 'lf',
	printWidth: 100,
	overrides: [
		// npm rewrites package.json with two spaces on every install: keep its form.
		{ files: 'package.json', options: { useTabs: false } },
	],
};
