// A file with bytes that are not UTF-8.
// BEGIN BYTECODES //

        inst(LATIN1, (--)) {
            // café au lait
        }

// END BYTECODES //
