// A block comment between definitions that runs to the end of the definitions.
// BEGIN BYTECODES //

        inst(BEFORE, (--)) {
        }

        /* this comment is never closed
        inst(HIDDEN, (--)) {
        }

// END BYTECODES //
