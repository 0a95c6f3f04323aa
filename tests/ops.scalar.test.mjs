// Every op × dtype in the scalar build (see suite.mjs).
import { runSuite } from './suite.mjs';

runSuite('scalar');
