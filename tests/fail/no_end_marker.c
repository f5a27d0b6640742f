// The end marker is missing.
// BEGIN BYTECODES //

        inst(ALONE, (--)) {
        }
