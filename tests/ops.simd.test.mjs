// Every op × dtype in the SIMD build (see suite.mjs).
import { runSuite } from './suite.mjs';

runSuite('simd');
