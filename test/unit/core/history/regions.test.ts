import {describe, expect, it} from 'vitest';
import {compareRegions, type RegionRun} from '../../../../source/core/history/regions.js';
import {parseAge} from '../../../../source/core/history/filter.js';
import {transcriptIdentity} from '../../../../source/core/transcript/identity.js';
import type {Phases} from '../../../../source/core/types.js';
import {handRun} from '../../../helpers/history.js';

const fresh = (connectMs: number): Phases => ({dnsMs: 1, connectMs, tlsMs: null, sentMs: connectMs + 1, headersMs: connectMs + 50, reused: false});

function runs(region: string, id: string, ttfts: readonly number[], connectMs: number | null, host = 'api.example.com'): RegionRun[] {
	return ttfts.map((ttft, index) => ({
		region,
		simulated: false,
		model: {id, baseUrlHost: host, name: id.toUpperCase()},
		run: handRun(index, ttft, 50, connectMs === null ? null : fresh(connectMs)),
	}));
}

describe('compareRegions', () => {
	it('pools every stored run of a region and splits the difference into network and the rest', () => {
		// us-east: 100 110 120 (two races pooled) → 110, connect 20; singapore: 300 310 320 → 310, connect 170.
		const comparison = compareRegions([
			...runs('us-east', 'alpha', [100, 120], 20),
			...runs('singapore', 'alpha', [300, 310, 320], 170),
			...runs('us-east', 'alpha', [110], 20),
			...runs('us-east', 'only-here', [50], null),
		]);
		expect(comparison.races).toEqual(['singapore', 'us-east']);
		const [row] = comparison.rows;
		expect(row).toMatchObject({id: 'alpha', values: [310, 110]});
		expect(row!.diffs[0]).toMatchObject({diff: -200, networkMs: -150, restMs: -50, real: true});
		expect(comparison.missing).toEqual(['only-here']);
	});

	it('tells apart the same id served from two hosts', () => {
		const comparison = compareRegions([
			...runs('a', 'alpha', [1], null, 'one.example'),
			...runs('a', 'alpha', [2], null, 'two.example'),
			...runs('b', 'alpha', [3], null, 'one.example'),
		]);
		expect(comparison.rows.map(row => row.id)).toEqual(['alpha@one.example']);
		expect(comparison.missing).toEqual(['alpha@two.example']);
	});
});

describe('parseAge', () => {
	const now = new Date('2026-05-31T12:00:00.000Z');
	it('reads hours, days, weeks and dates, and nothing else', () => {
		expect(parseAge('30d', now)?.toISOString()).toBe('2026-05-01T12:00:00.000Z');
		expect(parseAge('12h', now)?.toISOString()).toBe('2026-05-31T00:00:00.000Z');
		expect(parseAge('2w', now)?.toISOString()).toBe('2026-05-17T12:00:00.000Z');
		expect(parseAge('2026-05-01', now)?.toISOString()).toBe('2026-05-01T00:00:00.000Z');
		expect(parseAge('30 days', now)).toBeNull();
		expect(parseAge('soon', now)).toBeNull();
	});
});

describe('transcriptIdentity', () => {
	it('is the id when there is one, else a hash of the content that ignores nothing but the id', () => {
		expect(transcriptIdentity({id: 'abc'})).toBe('abc');
		const a = transcriptIdentity({prompt: 'x'} as {id?: string});
		expect(a).toMatch(/^sha256:[\da-f]{40}$/);
		expect(transcriptIdentity({prompt: 'x'} as {id?: string})).toBe(a);
		expect(transcriptIdentity({prompt: 'y'} as {id?: string})).not.toBe(a);
	});
});
