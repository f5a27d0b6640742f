// A body whose closing brace is missing: the parser must point at its '{'.
// BEGIN BYTECODES //

        inst(FINE, (--)) {
        }

        inst(BROKEN, (value -- res)) {
            if (value) {
                res = value;
            // the '}' closing the if is missing, so BROKEN's body never ends

        inst(NEXT, (--)) {
        }

// END BYTECODES //
