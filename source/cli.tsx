#!/usr/bin/env node
// The command line: parse, pick the mode, set the exit code. Only node: built-ins load before the
// mode is known, so --help and --version start fast; Ink and the SDK load only when needed.
import {readFileSync} from 'node:fs';
import process from 'node:process';
import {parseArgs} from 'node:util';

const help = `
  Usage
    $ llmrace [prompt]                       race the prompt across a preset's models
    $ llmrace show <transcript.json>         reopen a saved race in the leaderboard
    $ llmrace report <transcript.json>...    a Markdown (CSV, JSON, HTML) report of one or more races
    $ llmrace compare <a.json> <b.json>...   the same models across races (e.g. regions)
    $ llmrace presets                        list presets, their models and API key status
    $ llmrace sim [--port 8787]              run the simulated OpenAI-compatible server

  The prompt comes from the argument, else --prompt-file, else standard input when piped.

  Race options
    -p, --preset <name|path>   preset from presets/, ~/.config/llmrace/presets/ or a file;
                               several, comma-separated, race together                    [demo]
    -m, --models <ids>         comma-separated model ids or names from the preset           [all]
        --base-url <url>       send every model to this OpenAI-compatible base URL
        --api-key-env <VAR>    read the API key from this environment variable
    -n, --runs <n>             timed runs per model                                         [1]
        --warmup <n>           untimed runs per model before the timed ones                 [0]
        --concurrency <n>      most requests in flight at once                    [all at once]
        --max-tokens <n>       max_tokens sent with each request                            [512]
        --temperature <t>      sent only when given
        --timeout <seconds>    per request, from send to the end of the stream              [120]
        --idle-timeout <s>     longest silence after the first token            [min(timeout, 30)]
        --region <label>       where the race runs from (stored in the transcript; the
                               simulator uses the preset's figures for that region)
    -o, --save <path>          write the transcript there when the race ends (also on abort)
        --json                 no live UI: print the transcript JSON to stdout
        --sort <key>           ttft, ttfa, tps, total, price, cost, name                    [ttft]
        --bracket <name>       ultra-budget, budget, mid, premium                           [all]
        --seed <n>             seed of the simulated models (also sent as \`seed\` to real ones) [random]
        --prompt-file <path>   read the prompt from a file
        --max-fps <n>          live UI frames per second at most                            [15]
        --discover             race every model the server lists (GET /models)
        --insecure             accept self-signed TLS certificates (local servers); off by default

  Other options
        --replay [speed]       show: play the race back from its timestamps (2, 10: faster)
        --format <f>           report: md, csv, json, html (with -o <file>: written there)    [md]
        --metric <m>           compare: ttft, ttfa, tps, total, cost                        [ttft]
        --json                 compare: the comparison as JSON
        --port <n>             sim: port on 127.0.0.1                                       [8787]
    -h, --help                 show this help
    -v, --version              show the version

  Without a TTY on stdout (or with --json) the race runs without the live UI and prints
  a plain table (or JSON). Exit status: 0 when a model completed a run, 1 when every run
  failed, 2 on a usage error, 130/143 when interrupted by SIGINT/SIGTERM.

  Examples
    $ llmrace "Explain recursion in 200 words"
    $ llmrace --json -n 5 --seed 7 "Explain recursion" | jq '.models[].summary.ttftMs.median'
    $ GLOBAL_API_KEY=... llmrace -p global-api -m qwen3-8b,glm-5 "Explain recursion"
`;

const options = {
	preset: {type: 'string', short: 'p', default: 'demo'},
	models: {type: 'string', short: 'm'},
	'base-url': {type: 'string'},
	'api-key-env': {type: 'string'},
	runs: {type: 'string', short: 'n'},
	warmup: {type: 'string'},
	concurrency: {type: 'string'},
	'max-tokens': {type: 'string'},
	temperature: {type: 'string'},
	timeout: {type: 'string'},
	'idle-timeout': {type: 'string'},
	region: {type: 'string'},
	save: {type: 'string', short: 'o'},
	json: {type: 'boolean', default: false},
	sort: {type: 'string'},
	bracket: {type: 'string'},
	seed: {type: 'string'},
	'prompt-file': {type: 'string'},
	'max-fps': {type: 'string'},
	port: {type: 'string'},
	replay: {type: 'string'},
	format: {type: 'string'},
	metric: {type: 'string'},
	discover: {type: 'boolean'},
	insecure: {type: 'boolean'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
} as const;

/** One line for a parse error, naming the flag; no stack trace. */
function usageLine(error: unknown): string {
	const code = (error as {code?: string}).code;
	const message = (error as Error).message ?? String(error);
	const flag = /'(-[^']*)'/.exec(message)?.[1]?.split(/[ ,]/).find(part => part.startsWith('--')) ?? /'(-[^']*)'/.exec(message)?.[1];
	switch (code) {
		case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
			return `unknown flag ${flag ?? message}\nrun "llmrace --help" for the flags`;
		}

		case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
			return /argument missing/.test(message)
				? `missing value for ${flag ?? 'a flag'}`
				: `invalid value for ${flag ?? 'a flag'}${/ambiguous/.test(message) ? ' (a value starting with "-": write it as --flag=value)' : ''}`;
		}

		default: {
			return message.split('\n')[0] ?? message;
		}
	}
}

// `--replay [speed]`: the speed is optional.
const argv = process.argv.slice(2).flatMap((arg, index, all) => (arg === '--replay' && !/^\d+(\.\d+)?$/.test(all[index + 1] ?? '') ? ['--replay=1'] : [arg]));
let parsed;
try {
	parsed = parseArgs({args: argv, options, allowPositionals: true, strict: true});
} catch (error) {
	process.stderr.write(`llmrace: ${usageLine(error)}\n`);
	process.exit(2);
}

const {values, positionals} = parsed;
if (values.help) {
	process.stdout.write(`\n  Race LLMs in your terminal: live TTFT and tokens/s for many models at once.\n${help}\n`);
} else if (values.version) {
	const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
	process.stdout.write(`${packageJson.version}\n`);
} else {
	// React's development build costs several times the CPU per frame (and profiles every commit): never race with it.
	process.env['NODE_ENV'] ??= 'production';
	const {main} = await import('./main.js');
	process.exitCode = await main(positionals, {
		preset: values.preset,
		models: values.models,
		baseUrl: values['base-url'],
		apiKeyEnv: values['api-key-env'],
		runs: values.runs,
		warmup: values.warmup,
		concurrency: values.concurrency,
		maxTokens: values['max-tokens'],
		temperature: values.temperature,
		timeout: values.timeout,
		idleTimeout: values['idle-timeout'],
		region: values.region,
		save: values.save,
		json: values.json,
		sort: values.sort,
		bracket: values.bracket,
		seed: values.seed,
		promptFile: values['prompt-file'],
		maxFps: values['max-fps'],
		port: values.port,
		replay: values.replay,
		format: values.format,
		metric: values.metric,
		discover: values.discover,
		insecure: values.insecure,
	});
}
