// Where each model goes on the plot: its mark (a shape per bracket) and a label that collides with nothing, shortened or numbered.
import {fitCells} from '../../core/text/cells.js';
import type {BracketName, ModelResult} from '../../core/types.js';
import {sanitizeLine} from '../../core/text/sanitize.js';
import type {Tone} from '../theme.js';
import {scale} from './axes.js';
import {cellWidth} from './segments.js';
import type {LabelKind} from './types.js';

/** Shape per bracket, so the chart reads without colour. */
export const bracketMarks: Readonly<Record<BracketName | 'none', string>> = {
	'ultra-budget': '●',
	budget: '▲',
	mid: '■',
	premium: '◆',
	none: '○',
};

export const bracketTones: Readonly<Record<BracketName | 'none', Tone>> = {
	'ultra-budget': 'ok',
	budget: 'accent',
	mid: 'warn',
	premium: 'slow',
	none: 'dim',
};

/** The tone a bracket's points are drawn in. */
export function bracketTone(bracket: BracketName | null): Tone {
	return bracketTones[bracket ?? 'none'];
}

export const frontSuffix = '*';
const minShortCells = 5;

/** A model with both figures: ready to be placed. */
export type Candidate = {
	readonly model: ModelResult;
	readonly x: number;
	readonly y: number;
};

/** A model's name as one safe line of text. */
export function safeName(name: string): string {
	return sanitizeLine(name).trim() || '?';
}

/** A row of the plot as placed items (marks and labels) over free cells. */
class Grid {
	readonly cells: Array<Array<string | null>>;
	readonly width: number;
	constructor(width: number, height: number) {
		this.width = width;
		this.cells = Array.from({length: height}, () => new Array<string | null>(width).fill(null));
	}

	/** True when cells [from, to] of `row` are all free (outside the plot counts as free). */
	free(row: number, from: number, to: number, except: string | null = null): boolean {
		const line = this.cells[row]!;
		for (let col = Math.max(0, from); col <= Math.min(this.width - 1, to); col++) {
			const owner = line[col];
			if (owner !== null && owner !== except) {
				return false;
			}
		}

		return true;
	}

	take(row: number, from: number, cells: number, owner: string): void {
		for (let col = from; col < from + cells; col++) {
			this.cells[row]![col] = owner;
		}
	}
}

export type Placed = {
	candidate: Candidate;
	col: number;
	row: number;
	front: boolean;
	selected: boolean;
	label: string;
	labelKind: LabelKind;
	labelCol: number | null;
	labelRow: number | null;
	number: number | null;
	/** Cells reserved for a number (filled in once the numbers are dealt). */
	numberCells: number;
	/** The id of the point whose mark covers this one (no free cell near it), else null. */
	under: string | null;
};

type Spot = {readonly row: number; readonly col: number};

/**
 * Where a label of `cells` fits beside the mark at (col, row), with room around it:
 * right of the mark, then left of it; with `vertical`, also just above or below it (numbers only,
 * a name there would read as another point's).
 */
function labelSpot(grid: Grid, col: number, row: number, cells: number, owner: string, vertical: boolean): Spot | null {
	// One space to its own mark, two to anything else: a label between two marks reads as the nearer one's.
	const right = col + 2;
	if (right + cells <= grid.width && grid.free(row, col + 1, right + cells + 1, owner)) {
		return {row, col: right};
	}

	const left = col - 1 - cells;
	if (left >= 0 && grid.free(row, left - 2, col - 1, owner)) {
		return {row, col: left};
	}

	if (vertical) {
		for (const other of [row - 1, row + 1]) {
			if (other >= 0 && other < grid.cells.length && col + cells <= grid.width && grid.free(other, col - 1, col + cells, owner)) {
				return {row: other, col};
			}
		}
	}

	return null;
}

/** A name cut to exactly `cells` cells or fewer, with an ellipsis. */
function shorten(name: string, cells: number): string {
	return fitCells(name, cells).trimEnd();
}

/** Near cells a mark may move to when its own is taken: along its row only (a row is a bigger error than a column, and blocks labels). */
const nudges: ReadonlyArray<readonly [number, number]> = [
	[0, 0],
	[1, 0],
	[-1, 0],
	[2, 0],
	[-2, 0],
];

export function placePoints(
	candidates: readonly Candidate[],
	frontIds: ReadonlySet<string>,
	selectedId: string | null,
	width: number,
	height: number,
	xMin: number,
	xMax: number,
	yMin: number,
	yMax: number,
): Placed[] {
	const grid = new Grid(width, height);
	const placed: Placed[] = candidates.map(candidate => ({
		candidate,
		col: scale(candidate.x, xMin, xMax, width),
		row: height - 1 - scale(candidate.y, yMin, yMax, height),
		front: frontIds.has(candidate.model.id),
		selected: candidate.model.id === selectedId,
		label: '',
		labelKind: 'none',
		labelCol: null,
		labelRow: null,
		number: null,
		numberCells: 0,
		under: null,
	}));
	// Marks first, the selected and the front ones first: a mark whose cell is taken moves to a free one
	// nearby, or (none free) lies under the mark there and is named in the list below the plot.
	const order = [...placed].sort((a, b) => Number(b.selected) - Number(a.selected) || Number(b.front) - Number(a.front));
	for (const point of order) {
		const spot = nudges
			.map(([dc, dr]) => ({col: point.col + dc, row: point.row + dr}))
			.find(cell => cell.col >= 0 && cell.col < width && cell.row >= 0 && cell.row < height && grid.cells[cell.row]![cell.col] === null);
		if (spot) {
			point.col = spot.col;
			point.row = spot.row;
			grid.take(point.row, point.col, 1, point.candidate.model.id);
		} else {
			point.under = grid.cells[point.row]![point.col] ?? null;
		}
	}

	const numberCells = String(placed.length).length;
	const names = placed.map(point => safeName(point.candidate.model.name));
	for (const point of order) {
		if (point.under !== null) {
			continue;
		}

		const id = point.candidate.model.id;
		const name = safeName(point.candidate.model.name);
		const suffix = point.front ? frontSuffix : '';
		const put = (spot: Spot, label: string, kind: LabelKind, cells: number) => {
			point.label = label;
			point.labelKind = kind;
			point.labelCol = spot.col;
			point.labelRow = spot.row;
			grid.take(spot.row, spot.col, cells, id);
		};

		const full = `${name}${suffix}`;
		let spot = labelSpot(grid, point.col, point.row, cellWidth(full), id, false);
		if (spot) {
			put(spot, full, 'full', cellWidth(full));
			continue;
		}

		const self = placed.indexOf(point);
		// A shortened name must still tell the model apart: what it keeps is the start of no other name here.
		for (let cells = Math.min(cellWidth(name) - 1, width); cells >= minShortCells && point.labelKind === 'none'; cells--) {
			const cut = shorten(name, cells);
			const kept = cut.endsWith('…') ? cut.slice(0, -1) : cut;
			if (names.some((other, index) => index !== self && other.startsWith(kept))) {
				break;
			}

			const short = `${cut}${suffix}`;
			spot = labelSpot(grid, point.col, point.row, cellWidth(short), id, false);
			if (spot) {
				put(spot, short, 'short', cellWidth(short));
			}
		}

		if (point.labelKind !== 'none') {
			continue;
		}

		const reserved = numberCells + suffix.length;
		spot = labelSpot(grid, point.col, point.row, reserved, id, true);
		if (spot) {
			put(spot, '', 'number', reserved);
			point.numberCells = reserved;
		}
	}

	// Numbers from left to right, so the list below reads in the plot's order.
	const numbered = placed.filter(point => point.labelKind === 'number').sort((a, b) => a.col - b.col || a.row - b.row);
	for (const [index, point] of numbered.entries()) {
		point.number = index + 1;
		const text = `${index + 1}${point.front ? frontSuffix : ''}`;
		// A number on the left of its mark ends next to it.
		if (point.labelCol !== null && point.labelRow === point.row && point.labelCol < point.col) {
			point.labelCol += point.numberCells - cellWidth(text);
		}

		point.label = text;
	}

	return placed;
}
