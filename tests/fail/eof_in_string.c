// A string literal that never ends.
// BEGIN BYTECODES //

        inst(QUOTED, (--)) {
            const char *s = "never closed;
        }

// END BYTECODES //
