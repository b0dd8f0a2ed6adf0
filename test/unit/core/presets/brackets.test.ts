import {describe, expect, it} from 'vitest';
import {modelsInBracket} from '../../../../source/core/presets/brackets.js';

const model = (id: string, outputPerM: number | null) => ({id, price: {outputPerM, inputPerM: null, source: null}});

describe('modelsInBracket', () => {
	const models = [model('cheap', 0.1), model('unpriced', null), model('dear', 5), model('edge', 0.3)];

	it("keeps only the bracket's models; a model with no price is in none", () => {
		expect(modelsInBracket(models, 'budget').models.map(entry => entry.id)).toEqual(['edge']);
		expect(modelsInBracket(models, 'premium').models.map(entry => entry.id)).toEqual(['dear']);
		expect(modelsInBracket(models, 'mid')).toEqual({models: [], withModels: ['ultra-budget', 'budget', 'premium']});
	});

	it("uses the preset's own boundaries", () => {
		expect(modelsInBracket(models, 'ultra-budget', {ultraBudget: 0.3, budget: 1, mid: 10}).models.map(entry => entry.id)).toEqual(['cheap', 'edge']);
	});
});
