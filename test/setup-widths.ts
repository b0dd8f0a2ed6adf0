// Every in-process test measures text as the commands do after their start: string-width loaded
// (core/cells.ts). The one place that draws before it loads, the race screen's first frame, is
// tested in a real pseudo-terminal (test/first-frame.test.ts) and in test/core/cells-lazy.test.ts.
import {loadCellWidths} from '../source/core/cells.js';

await loadCellWidths();
