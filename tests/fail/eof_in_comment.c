// A block comment that never ends.
// BEGIN BYTECODES //

        inst(COMMENTED, (--)) {
            /* this comment is never closed
        }

// END BYTECODES //
