// A replay that has played to its end shows the whole race, whatever the clock read when its timer fired.
import {expect, it} from 'vitest';
import {replayRace} from '../../../../source/core/race/replay.js';
import {demoTranscript} from '../../../helpers/fixtures.js';

it('a finished replay reads its end (a timer may fire before the clock says so)', async () => {
	const transcript = demoTranscript();
	// A clock that never moves: the timer still fires, and the replay must then be finished.
	const race = replayRace(transcript, 1000, () => 0);
	await race.done;
	const snapshot = race.snapshot();
	expect(snapshot.finishedAt).not.toBeNull();
	expect(snapshot.models.every(model => model.endedAt !== null)).toBe(true);
});
