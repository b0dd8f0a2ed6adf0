import type {Session} from '../commands/session.js';

// Temporary until the Ink UI lands: the live mode runs the plain table.
export async function runLive(session: Session): Promise<number> {
	const {runHeadless} = await import('../commands/race.js');
	return runHeadless(session, 'plain');
}
