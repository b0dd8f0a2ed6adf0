// Text a server sent cannot act on the reader's terminal (docs/untrusted-text.md): each output function of the
// screens and the piped tables, fed title/clipboard/hyperlink OSCs, screen clears, cursor moves,
// a bare CR, BEL, bidi overrides and 8-bit C1 introducers.
import {describe, expect, it} from 'vitest';
import {plainTable} from '../../../source/core/report/plain-table.js';
import {compareRaces, comparisonText, labelRaces} from '../../../source/core/report/report.js';
import {sanitizeBlock, sanitizeLine} from '../../../source/core/text/sanitize.js';
import {summarizeRuns} from '../../../source/core/transcript/build.js';
import type {ModelView} from '../../../source/core/race/race.js';
import type {Transcript} from '../../../source/core/types.js';
import {App} from '../../../source/ui/board/app.js';
import {raceFrame} from '../../../source/ui/race/frame.js';
import {demoTranscript} from '../../helpers/fixtures.js';
import {renderAt} from '../../helpers/ink-render.js';

const hostile = [
	'\u001B]0;PWNED-TITLE\u001B\\',
	'\u001B]2;PWNED-TITLE\u0007',
	'\u001B]8;;http://evil.example/\u001B\\link\u001B]8;;\u001B\\',
	'\u001B]52;c;cHduZWQ=\u0007',
	'\u001B[2J\u001B[H\u001B[10;5H\u001B[1A\u001B[K',
	'fake line\roverwritten',
	'bell\u0007',
	'\u202Eevil\u202C \u2066isolate\u2069 \u202Aembed\u202B',
	'\u009B2J\u009D0;C1-TITLE\u009C',
].join(' ');

/** Our own colours are SGR (`ESC [ … m`): take them out, then nothing a terminal acts on may be left. */
const withoutOurColours = (text: string) => text.replaceAll(/\u001B\[[\d;]*m/g, '');

function expectInert(output: string) {
	const text = withoutOurColours(output);
	expect(text).not.toMatch(/[\u001B\u009B\u009D\u0007\u0090\u009C\r]/);
	expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
	// The remains are shown as inert text.
	expect(text).toContain(']0;PWNED-TITLE');
}

describe('sanitizeLine and sanitizeBlock', () => {
	it('leave no introducer, BEL, CR or bidi control; a line keeps no newline, a block keeps its newlines', () => {
		expectInert(sanitizeLine(hostile));
		expectInert(sanitizeBlock(hostile));
		expect(sanitizeLine('a\nb\tc')).toBe('a b c');
		expect(sanitizeBlock('a\nb\tc\r\nd')).toBe('a\nb c\nd');
		expect(sanitizeBlock('\u001B[2J')).toBe(' [2J');
		expect(sanitizeLine('plain 宽 🙂')).toBe('plain 宽 🙂');
	});
});

/** A race where every server-supplied string is hostile: a model's name and answer, another's error message. */
function hostileTranscript(): Transcript {
	const base = demoTranscript({failing: ['glm-5']});
	return {
		...base,
		prompt: `explain ${hostile}`,
		models: base.models.map(model => {
			if (model.id === 'glm-5') {
				return {...model, runs: model.runs.map(run => ({...run, error: {kind: 'bad_request' as const, status: 400, message: `bad ${hostile}`}}))};
			}

			if (model.id === 'step-3.5-flash') {
				const runs = model.runs.map(run => ({...run, text: `answer ${hostile}\nsecond line`, reasoningText: `thinking ${hostile}`}));
				return {...model, name: `Step ${hostile}`, provider: `Prov ${hostile}`, runs, summary: summarizeRuns(runs, model.price)};
			}

			return model;
		}),
	};
}

describe('every output of server text is inert', () => {
	it('the leaderboard (the selected model’s error line too) and the answer screen', async () => {
		const transcript = hostileTranscript();
		const instance = renderAt(
			<App
				meta={{prompt: transcript.prompt, preset: 'demo', simulated: true, region: null}}
				transcript={transcript}
				save={() => ({ok: true, message: `saved ${hostile}`})}
				sort="ttft"
				bracket={null}
				runs={1}
				noColor={false}
				interactive
				size={{columns: 200, rows: 40}}
			/>,
			200,
		);
		// Select GLM-5, whose error line shows under the table.
		for (let index = 0; index < 15 && !instance.lastFrame()!.includes('GLM-5: bad_request'); index++) {
			await instance.press('j');
		}

		expect(instance.lastFrame()).toContain('GLM-5: bad_request (HTTP 400): bad');
		await instance.press('w');
		expect(instance.lastFrame()).toContain('saved');
		for (const frame of instance.frames) {
			expect(withoutOurColours(frame)).not.toMatch(/[\u001B\u009B\u009D\u0007\r\u202A-\u202E\u2066-\u2069]/);
		}

		expectInert(instance.lastFrame()!);
		// Back to the top (Step, the fastest), and open its answer.
		await instance.press('k'.repeat(15));
		await instance.press('\r');
		const answer = instance.lastFrame()!;
		expect(answer).toContain('answer ');
		expect(answer).toContain('second line');
		expectInert(answer);
		for (const frame of instance.frames) {
			expect(withoutOurColours(frame)).not.toMatch(/[\u001B\u009B\u009D\u0007\r\u202A-\u202E\u2066-\u2069]/);
		}

		instance.unmount();
	});

	it('the plain table and its errors: list', () => {
		const table = plainTable(hostileTranscript().models, {sort: 'ttft', bracket: null, runs: 1});
		expect(table).toContain('errors:');
		expect(table).toContain('GLM-5: bad_request (HTTP 400): bad');
		expectInert(table);
		expect(table).not.toMatch(/\u001B/);
	});

	it('compare', () => {
		const a = hostileTranscript();
		const b = {...hostileTranscript(), region: `sg ${hostile}`};
		const text = comparisonText(
			compareRaces(
				labelRaces([
					{file: 'a.json', transcript: a},
					{file: 'b.json', transcript: b},
				]),
				'ttft',
			),
		);
		expect(text).toContain('Step ');
		expectInert(text);
	});

	it('the race frames (live and replayed)', () => {
		const transcript = hostileTranscript();
		const models: ModelView[] = transcript.models.slice(0, 3).map(model => ({
			spec: {
				id: model.id,
				name: model.name,
				provider: model.provider,
				baseURL: model.baseURL,
				apiKeyEnv: null,
				price: model.price,
				reasoning: false,
				reference: null,
			} as never,
			bracket: model.bracket,
			state: 'error',
			runNumber: 1,
			runCount: 1,
			warmup: false,
			t0: 1000,
			endedAt: 2000,
			live: {ttftMs: 150, ttfaMs: 150, tokens: 10, tokensEstimated: true, rollingTokensPerSecond: 30, textLength: 100},
			text: model.runs[0]!.text,
			reasoningText: '',
			costSoFarUSD: null,
			place: null,
			lastError: {kind: 'bad_request', status: 400, message: `bad ${hostile}`},
			records: [],
			summary: model.summary,
		}));
		for (const lanes of [false, true]) {
			const lines = raceFrame({
				meta: {prompt: transcript.prompt, preset: `demo ${hostile}`, simulated: true, region: null},
				sample: {snapshot: {version: 1, startedAt: 0, finishedAt: null, aborted: false, models}, now: 2500, history: new Map()},
				columns: 200,
				rows: 40,
				lanes,
				runs: 1,
				noColor: false,
				interactive: true,
			});
			const frame = withoutOurColours(lines.join('\n'));
			expect(frame).not.toMatch(/[\u001B\u009B\u009D\u0007\r\u202A-\u202E\u2066-\u2069]/);
			expect(frame).toContain('bad_request');
		}
	});
});
