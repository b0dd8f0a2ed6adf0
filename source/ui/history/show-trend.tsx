// Mount the trend view (Ink) until the user quits.
import {render} from 'ink';
import type {Trend} from '../../core/history/trend.js';
import type {ModelKey} from '../../core/history/types.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {TrendView, type ModelTrend} from './trend-view.js';

export type TrendViewOptions = {
	readonly trends: readonly ModelTrend[];
	readonly racesOf: (model: ModelKey) => Promise<Trend>;
	readonly noColor: boolean;
};

function SizedTrendView(props: TrendViewOptions) {
	const {columns, rows} = useTerminalSize();
	return <TrendView {...props} columns={columns} rows={rows} />;
}

export async function showTrendView(options: TrendViewOptions): Promise<void> {
	const app = render(<SizedTrendView {...options} />, {exitOnCtrlC: false, patchConsole: false});
	await app.waitUntilExit();
}
