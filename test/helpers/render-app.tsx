// The App on a finished race at a given size, through ink-testing-library (ink-render.ts), for the screen tests.
import type {Transcript} from '../../source/core/types.js';
import {App, type AppProps} from '../../source/ui/board/app.js';
import {renderAt} from './ink-render.js';

/** The App at a given size, on a finished race unless `props` says otherwise. */
export function renderApp(transcript: Transcript, columns: number, rows: number, props: Partial<AppProps> = {}) {
	return renderAt(
		<App
			meta={{prompt: transcript.prompt, preset: 'demo', simulated: true, region: 'us-east'}}
			transcript={transcript}
			save={() => ({ok: true, message: 'saved /somewhere/race.json'})}
			sort="ttft"
			bracket={null}
			runs={1}
			noColor
			interactive
			size={{columns, rows}}
			{...props}
		/>,
		columns,
	);
}
