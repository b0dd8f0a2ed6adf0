// Every in-process test measures text as the commands do after their start: string-width loaded
// (core/text/cells.ts). The one place that draws before it loads, the race screen's first frame, is
// tested in a real pseudo-terminal (test/pty/first-frame.test.ts) and in test/unit/core/text/cells-lazy.test.ts.
import {loadCellWidths} from '../source/core/text/cells.js';

await loadCellWidths();
