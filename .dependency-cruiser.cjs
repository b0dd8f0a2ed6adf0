// The layering as code (docs/architecture.md): `npm run lint` fails on an import that crosses a line.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: 'core-is-pure',
			comment: 'The core (engine, metrics, presets, prices, transcripts, reports) knows nothing of the UI, files, SQL, threads or commands.',
			severity: 'error',
			from: {path: '^source/core/'},
			to: {path: '^source/(ui|io|store|runtime|session|commands|sim|worker|build)/|^source/(cli|main|options)\\.'},
		},
		{
			name: 'core-no-ui-no-files-no-sql',
			comment: 'No Ink, React, file system or database driver in the core.',
			severity: 'error',
			from: {path: '^source/core/'},
			to: {path: '^(ink|react|@alcalzone/ink-table|better-sqlite3|pg)$|^node_modules/(ink|react|@alcalzone|better-sqlite3|pg)/|^(node:)?(fs|fs/promises|sqlite)$', dependencyTypesNot: ['type-only']},
		},
		{
			name: 'ui-no-http-no-sql',
			comment: 'The UI draws and maps keys: no HTTP, no SDK, no stream code, no database, no simulator.',
			severity: 'error',
			from: {path: '^source/ui/'},
			to: {path: '^source/(core/http|store|sim|io|commands)/|^(openai|better-sqlite3|pg)$|^node_modules/(openai|better-sqlite3|pg)/|^(node:)?(http|https|net|tls)$'},
		},
		{
			name: 'openai-only-in-core-http',
			comment: 'One streamed request lives in core/http: the only user of the SDK.',
			severity: 'error',
			from: {pathNot: '^source/core/http/'},
			to: {path: '^openai$|^node_modules/openai/'},
		},
		{
			name: 'sim-no-ui',
			comment: 'The simulator is a server: it draws nothing and knows no race.',
			severity: 'error',
			from: {path: '^source/sim/'},
			to: {path: '^source/(ui|session|commands|store|core/race)/|^(ink|react)$|^node_modules/(ink|react)/'},
		},
		{
			name: 'store-no-ui',
			comment: 'The history store sits beside the core: no UI, no HTTP.',
			severity: 'error',
			from: {path: '^source/store/'},
			to: {path: '^source/(ui|core/http|sim|session|commands)/|^(ink|react|openai)$|^node_modules/(ink|react|openai)/'},
		},
		{
			name: 'commands-are-leaves',
			comment: 'Nothing below the command line imports a command.',
			severity: 'error',
			from: {path: '^source/(core|ui|io|store|runtime|session|sim|worker)/'},
			to: {path: '^source/commands/'},
		},
		{
			name: 'no-orphans',
			comment: 'A module nothing imports is dead code (entry points and workers excepted).',
			severity: 'error',
			from: {orphan: true, path: '^source/', pathNot: '^source/(cli\\.ts|build/(compile-presets|bundle-workers)\\.ts|sim/worker\\.ts|worker/engine-worker\\.ts)$'},
			to: {},
		},
	],
	options: {
		doNotFollow: {path: 'node_modules'},
		tsConfig: {fileName: 'tsconfig.json'},
		tsPreCompilationDeps: true,
		enhancedResolveOptions: {exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js']},
		moduleSystems: ['es6', 'cjs'],
		exclude: {path: '^distribution/'},
	},
};
