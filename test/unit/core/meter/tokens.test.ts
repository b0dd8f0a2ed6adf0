// The o200k_base estimate: long texts are counted in slices (BPE is quadratic in one piece's length),
// without changing the count of ordinary text.
import {countTokens} from 'gpt-tokenizer/encoding/o200k_base';
import {describe, expect, it} from 'vitest';
import {loadTokenCounter, slicedLong} from '../../../../source/core/meter/tokens.js';

const english = 'Recursion is a function calling itself until it reaches a base case, like Russian dolls.\n'.repeat(250);
const code = 'function fact(n) {\n\treturn n <= 1 ? 1 : n * fact(n - 1);\n}\n'.repeat(300);
const chinese = '递归是一种函数调用自身的方法，直到遇到基本情况为止。 '.repeat(400);

describe('token estimates of long texts', () => {
	it('count ordinary text exactly as a whole (English, code, Chinese)', async () => {
		const count = await loadTokenCounter();
		for (const text of [english, code, chinese]) {
			expect(text.length).toBeGreaterThan(10_000);
			expect(count(text)).toBe(countTokens(text));
		}
	});

	it('never hand the tokenizer a slice over 1024 characters, cut before a space where there is one', () => {
		const slices: string[] = [];
		const count = slicedLong(text => {
			slices.push(text);
			return text.length;
		});
		const noSpace = 'x'.repeat(200_000);
		expect(count(noSpace)).toBe(200_000);
		expect(slices.length).toBe(Math.ceil(200_000 / 1024));
		expect(Math.max(...slices.map(slice => slice.length))).toBe(1024);
		slices.length = 0;
		count(english);
		expect(slices.join('')).toBe(english);
		// Every slice but the first starts at a space: words are never cut.
		expect(slices.slice(1).every(slice => slice.startsWith(' '))).toBe(true);
	});

	it('count a run of letters with no space in slices (a hostile stream cannot stall the thread)', async () => {
		const count = await loadTokenCounter();
		// 'a' × n is n/8 tokens as a whole; sliced at 1024 (a multiple of 8) it is the same.
		expect(count('a'.repeat(64_000))).toBe(8000);
	});
});
