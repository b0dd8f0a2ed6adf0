// The command line, once read (command-parse.ts): --help, --version, the dispatch to main.ts, the exit
// code. Only node: built-ins load before the mode is known, so --help and --version start fast; the
// presets, Ink and the SDK load only when needed.
import {readFileSync} from 'node:fs';
import process from 'node:process';
import type {CommandLine} from './command-parse.js';

const help = `
  Race LLMs in your terminal: live TTFT and tokens/s for many models at once.

  Usage
    $ llmrace [prompt]                  race the prompt across a preset's models
    $ llmrace show <transcript.json>    reopen a saved race or load run
    $ llmrace report <t.json>...        a Markdown (CSV, JSON, HTML) report
                                        of races, or of load runs
    $ llmrace compare <a.json> <b.json>...  the same models across races
                                        (or two load runs)
    $ llmrace presets                   presets, their models, API key status
    $ llmrace sim [--port 8787]         the simulated OpenAI-compatible server
    $ llmrace load [prompt] --rate <r>  tail latency under load (load --help)
    $ llmrace history [model]           past races, trends (history --help)

  The prompt comes from the argument, else --prompt-file, else standard input
  when piped. A prompt that is a command's name (or one typo from it) goes
  after --: llmrace -- presets. With none at a terminal, a first-run screen
  picks the preset, its models and the prompt. In the live UI, ? lists every
  key; with the prompt piped in, keys come from the terminal (/dev/tty).
  show, report and compare read races and load runs (llmrace/load@1).

  Race options                                                      [default]
    -p, --preset <name|path>  preset from presets/, ~/.config/llmrace/presets/
                              or a file; several, comma-separated     [demo]
    -m, --models <ids>        comma-separated model ids or names       [all]
        --base-url <url>      send every model to this OpenAI-compatible
                              URL; without -p, race what it lists (GET /models)
        --header 'Name: v'    send this header too (repeatable; also to
                              GET /models); wins over the preset's headers
        --api-key-env <VAR>   read the API key from this variable
    -n, --runs <n>            timed runs per model                       [1]
        --warmup <n>          untimed runs per model before the timed    [0]
        --concurrency <n>     most requests in flight at once   [all at once]
        --max-tokens <n>      max_tokens sent with each request        [512]
        --temperature <t>     sent only when given
        --timeout <seconds>   per request, send to end of stream       [120]
        --idle-timeout <s>    longest silence after the first token
                                                         [min(timeout, 30)]
        --region <label>      where the race runs from (in the transcript;
                              the simulator uses that region's figures)
    -o, --save <path>         write the transcript there at the end (also
                              on abort)
        --json                no live UI: print the transcript JSON
        --sort <key>          ttft, ttfa, tps, total, price, cost, name
                                                                    [ttft]
        --bracket <name>      race only ultra-budget, budget, mid or premium
                              models (priced ones only)                [all]
        --seed <n>            seed of the simulated models (also sent as
                              \`seed\` to real ones)                [random]
        --prompt-file <path>  read the prompt from a file
        --max-fps <n>         live UI frames per second at most         [15]
        --discover            race every model the server lists (GET /models)
        --insecure            accept self-signed TLS certificates (local
                              servers)                                  [off]
        --unique-prompts      begin each request's prompt with a unique line,
                              so no prompt cache serves it (recorded)   [off]
        --no-history          do not record this race in the history
                              (also LLMRACE_NO_HISTORY=1)
        --db <url>            the history store: sqlite:<path> or
                              postgres://… (also LLMRACE_DB)
                              [~/.local/share/llmrace/history.sqlite]

  Other options
        --replay [speed]      show: play the race back (2, 10: faster)
        --sort, --bracket     show: the leaderboard's order and bracket
    -o, --save <file>         show: save the transcript; report: write there
        --format <f>          report: md, csv, json, html (else from -o)  [md]
        --metric <m>          compare: ttft, ttfa, tps, total, cost     [ttft]
                              of two load runs: ttfa, ttft, e2e (p99) [ttfa]
        --json                compare: the comparison as JSON
        --port <n>            sim: port on 127.0.0.1                  [8787]
    -h, --help                show this help (also: llmrace help)
    -v, --version             show the version (also: llmrace version)
  A flag of another command is an error (report takes no --runs).

  Without a TTY on stdout (or with --json) the race prints a plain table
  (as wide as $COLUMNS, else 100 columns) or JSON. Exit status: 0 when a
  model completed a run (or when stdout's reader closed it early), 1 when
  every run failed, 2 on a usage error, 130/143 on SIGINT/SIGTERM.

  Examples
    $ llmrace "Explain recursion in 200 words"
    $ llmrace --json -n 5 --seed 7 "Explain recursion" \\
        | jq '.models[].summary.ttftMs.median'
    $ GLOBAL_API_KEY=... llmrace -p global-api -m qwen3-8b,glm-5 "Hi"
    $ llmrace --base-url http://127.0.0.1:8080/v1 "Explain recursion"

  Install
    $ npm install -g llmrace-cli   (npm's package "llmrace" is another tool)
`;

const historyHelp = `
  Usage
    $ llmrace history                    the recent races and load runs
    $ llmrace history <model>            its trend: median TTFT, TTFA, tok/s per
                                         UTC day, with their intervals
    $ llmrace history regions            per model the median TTFT per region,
                                         network vs the rest
    $ llmrace history import <f.json>... add saved transcripts (idempotent)
    $ llmrace history show <id>          a stored race in the leaderboard
    $ llmrace history delete <id>...     forget races
    $ llmrace history prune --older-than 90d   forget races started before then
    $ llmrace history export --format csv|json  every stored run or race

  Every finished race and load run is recorded (prompts included), unless
  --no-history or LLMRACE_NO_HISTORY=1. A model is the same across races when
  its id and its base URL's host are; name one served from several hosts
  as id@host.

  Options                                                           [default]
        --db <url>            sqlite:<path> or postgres://user@host:5432/db
                              (also LLMRACE_DB; a password from PGPASSWORD
                              or ~/.pgpass)
                              [~/.local/share/llmrace/history.sqlite]
        --since <when>        only races since then: 12h, 30d, 2w, 2026-05-01
        --region <label>      only races run from that region
        --host <label>        only races run on that machine (LLMRACE_HOST,
                              else its host name)
    -p, --preset <name>       only races of that preset
        --limit <n>           races in the list; 0: all                  [20]
        --by <day|race>       the trend's points: per UTC day or per race
                                                                       [day]
        --older-than <age>    prune: races started before then (90d, 12w)
        --format <csv|json>   export                                   [json]
        --json                the list, trend, regions or a race as JSON
    -h, --help                show this help

  A store that cannot be used (read-only, full, PostgreSQL down or refusing
  the login, written by a newer llmrace): one line, exit 1. A race is never
  lost to it: it is still printed and saved.

  Examples
    $ llmrace history step-3.5-flash --since 30d
    $ llmrace history regions --db postgres://bench@db.example.com/llmrace
    $ llmrace history --json --limit 0 | jq '.races[].id'
`;

const loadHelp = `
  Usage
    $ llmrace load [prompt] --rate <r[,r…]> [--duration 30s | --requests N] [options]
    $ llmrace load [prompt] --sweep [--rate 0.5] [options]

  Tail latency under production load: every model of the preset gets the same open-loop
  arrivals (from --seed), side by side. Latencies include the time a request waited for a
  free slot (queue-inclusive), so a saturated server cannot hide behind coordinated omission.

  Load options
        --rate <r[,r…]>        requests per second per model; several rates run as steps in order
        --duration <d>         each step's length: 500ms, 30s, 5m, 2h, 30d (bare: seconds)        [30s]
        --requests <n>         each step sends n arrivals instead of lasting --duration
        --arrivals <a>         poisson (exponential gaps) or constant                         [poisson]
        --max-concurrency <n>  most requests in flight per model; arrivals beyond it wait       [256]
        --slo <terms>          e.g. "ttft.p99<=800ms,tps.p50>=30,e2e.p99<=10s": metric (ttft, ttfa,
                               itl, tpot, e2e, tps), percentile (p50, p90, p99, p999), bound (bare
                               numbers are ms; tps in tokens/s, p99 the low tail)  [ttfa.p99<=800ms]
        --sweep                per model: double the rate from --rate (default 0.5) while the SLO
                               holds, then bisect; at most 8 steps. Reports the highest rate meeting it
        --unique-prompts       each request's prompt begins with a unique line, so no prompt cache
                               serves a repeated prefix (--no-unique-prompts to send it as is)   [on]
        --max-cost <usd>       stop the run before what was sent would cost more (estimated)
        --yes                  start a load on a paid provider without asking (the cost guard)
        --keep-text            keep every answer's text in the transcript
        --sort <key>           rate, ttfa, ttft, e2e (their p99), goodput, name   [rate with --sweep, else ttfa]

  The race's -p, -m, --base-url, --api-key-env, --max-tokens, --temperature, --timeout,
  --idle-timeout (durations), --region, -o/--save, --json, --seed, --prompt-file, --max-fps,
  --discover, --insecure and --bracket apply; --runs, --warmup and --concurrency do not.

  Before any request to a model that is not simulated, the request count and the estimated
  cost are shown; the load starts only on y at a terminal, or with --yes.

  Without a TTY on stdout (or with --json) progress goes to stderr and the plain load table
  (or the llmrace/load@1 transcript) to stdout. Exit status: 0 when a model completed a
  request, 1 when none did or the cost guard was declined, 2 on a usage error, 130/143 when
  interrupted (finished steps and the current step's requests are kept and saved).

  Examples
    $ llmrace load --sweep "Explain recursion"                  the demo's 15 simulated models
    $ llmrace load --rate 1,2,4 --duration 20s -m qwen3-8b,glm-5 --json "Explain recursion" > load.json
    $ llmrace load -p groq --rate 2 --requests 50 --slo "ttft.p99<=500ms" --yes "Explain recursion"
`;

// stdout closed early by its reader (`llmrace --json … | head`): the reader has what it wanted. Exit 0,
// quietly, rather than die of an unhandled EPIPE with a stack trace (the transcript, if asked for, is
// saved before anything is written to stdout).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') {
		process.exit(0);
	}

	throw error;
});

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};

/** Run what the command line asks; the exit code is set on process.exitCode. */
export async function runCommandLine({input, flags, literal}: CommandLine): Promise<void> {
	// `llmrace help` and `llmrace version` are --help and --version; after `--` they are prompts.
	const word = literal ? undefined : input[0];
	if (flags.help && word === 'history') {
		process.stdout.write(historyHelp);
	} else if (flags.help && word === 'load') {
		process.stdout.write(loadHelp);
	} else if (flags.help || (word === 'help' && input.length === 1)) {
		process.stdout.write(`${help}\n`);
	} else if (flags.version || (word === 'version' && input.length === 1)) {
		process.stdout.write(`${packageJson.version}\n`);
	} else {
		// React's development build costs several times the CPU per frame (and profiles every commit): never race with it.
		process.env['NODE_ENV'] ??= 'production';
		const {main} = await import('./main.js');
		const {help: _help, version: _version, ...given} = flags;
		process.exitCode = await main(
			input,
			{
				...given,
				json: given.json ?? false,
				// Only --no-history is a choice: history's default (on) would read as a flag given to every command.
				history: given.history ? undefined : false,
			},
			{literal},
		);
	}
}
