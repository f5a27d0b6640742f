// The same instruction defined twice.
// BEGIN BYTECODES //

        inst(TWICE, (--)) {
        }

        inst(TWICE, (value --)) {
        }

// END BYTECODES //
