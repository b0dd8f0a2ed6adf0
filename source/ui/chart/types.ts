// The chart view's types: what chartLayout takes (ChartInput) and gives (ChartLayout, its points, axes and lines).
import type {BracketName, ModelResult} from '../../core/types.js';
import type {Tone} from '../theme.js';

export type ChartAxis = 'ttft' | 'price';

export type ChartSegment = {
	readonly text: string;
	readonly tone?: Tone | undefined;
	/** The colour to draw with (the tone's, none under NO_COLOR). */
	readonly color?: string | undefined;
	readonly bold?: boolean | undefined;
	readonly inverse?: boolean | undefined;
};

/** One line of the view: segments drawn side by side, at most `width` cells in all. */
export type ChartLine = readonly ChartSegment[];

export type LabelKind = 'full' | 'short' | 'number' | 'none';

export type ChartPoint = {
	readonly id: string;
	readonly name: string;
	readonly bracket: BracketName | null;
	readonly reasoning: boolean;
	/** x: TTFT in ms (TTFA when the model reasons), or $/M output. */
	readonly x: number;
	/** y: median tok/s. */
	readonly y: number;
	/** Cell of the mark inside the plot area (0,0 top left). */
	readonly col: number;
	readonly row: number;
	readonly mark: string;
	/** On the Pareto front: no other model at least as good on both axes and better on one. */
	readonly front: boolean;
	readonly selected: boolean;
	/** The label as drawn in the plot (with a `*` suffix on the front); '' when none fits. */
	readonly label: string;
	readonly labelKind: LabelKind;
	/** Plot cell where the label starts (a number may sit just above or below its mark), null when none is drawn. */
	readonly labelCol: number | null;
	readonly labelRow: number | null;
	/** The id of the point whose mark covers this one's (no free cell near it): then it is only named below the plot. */
	readonly under: string | null;
	/** The number standing for the name (listed below the plot), when the name did not fit. */
	readonly number: number | null;
};

export type NotPlotted = {
	readonly id: string;
	readonly name: string;
	readonly reason: 'no completed run' | 'no TTFT' | 'no tok/s' | 'no price';
};

export type Tick = {
	readonly value: number;
	readonly label: string;
	/** Plot column (x) or plot row (y). */
	readonly at: number;
};

export type ChartAxisLayout = {
	readonly title: string;
	readonly min: number;
	readonly max: number;
	readonly ticks: readonly Tick[];
};

export type ChartLayout = {
	/** The one line shown instead of a plot (nothing to plot, or no room), else null. */
	readonly message: string | null;
	/** The plot area inside the lines: `left` cells of y-axis gutter, `top` lines above it. */
	readonly plot: {readonly left: number; readonly top: number; readonly width: number; readonly height: number};
	readonly x: ChartAxisLayout;
	readonly y: ChartAxisLayout;
	readonly points: readonly ChartPoint[];
	/** Ids of the fastest trade-offs, in the order of `models`. */
	readonly front: readonly string[];
	readonly notPlotted: readonly NotPlotted[];
	/** "n name" for every point whose label is a number. */
	readonly footnotes: readonly string[];
	readonly lines: readonly ChartLine[];
};

export type ChartInput = {
	readonly models: readonly ModelResult[];
	readonly xAxis: ChartAxis;
	readonly selectedId: string | null;
	/** Cells available for a line. */
	readonly width: number;
	/** Lines available for the whole view. */
	readonly height: number;
	readonly noColor: boolean;
	/** What the models are, for the line shown when none can be plotted: "budget", "all models". */
	readonly bracketLabel?: string | undefined;
};
