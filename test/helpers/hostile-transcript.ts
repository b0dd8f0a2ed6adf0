// A transcript whose every server-supplied string is hostile: formula-leading names with pipes,
// markup and script in answers, backticks, newlines, escape sequences (OSC title, OSC 52, CSI clear), bidi overrides.
import type {Transcript} from '../../source/core/types.js';
import {demoTranscript} from './fixtures.js';

export const hostileName = '=HYPERLINK("http://x","y")|x';
export const hostileAnswer =
	'<script>alert(1)</script></svg><script>alert(2)</script><img src=x onerror=alert(3)> `code` | pipe\nline two\r\n\u001B]0;PWNED-TITLE\u001B\\ \u001B[2J \u001B]52;c;cHduZWQ=\u0007 \u202Eevil\u202C';
export const hostileError = 'upstream\n| broken | row |\u001B]0;ERR-TITLE\u0007\u001B[2J `tick` <b onmouseover=alert(4)>x</b>';

export function hostileTranscript(region = 'us-east'): Transcript {
	const base = demoTranscript({region, failing: ['glm-5']});
	return {
		...base,
		prompt: 'Say <script>alert(5)</script> | `x`',
		models: base.models.map((model, index) => {
			if (index === 0) {
				return {...model, id: hostileName, name: hostileName, provider: '@SUM(1+1)`\n', runs: model.runs.map(run => ({...run, text: hostileAnswer}))};
			}

			if (index === 1) {
				return {...model, name: '</svg><script>alert(6)</script>', provider: '-2+3', runs: model.runs.map(run => ({...run, text: hostileAnswer}))};
			}

			if (model.id === 'glm-5') {
				return {...model, name: 'GLM\n5 | `x`', runs: model.runs.map(run => ({...run, error: {kind: 'server' as const, status: 503, message: hostileError}}))};
			}

			return model;
		}),
	};
}
