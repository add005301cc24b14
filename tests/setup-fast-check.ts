/**
 * Property tests run with a fixed fast-check seed, so a CI run is reproducible (a red CI run is a
 * real regression, not an unlucky draw). `FC_SEED=random npm test` explores new cases; a failure
 * prints its seed, and `FC_SEED=<seed> npm test` replays it.
 */
import fc from 'fast-check';

const raw = process.env.FC_SEED;
if (raw !== 'random') fc.configureGlobal({ seed: raw === undefined ? 20261202 : Number(raw) });
