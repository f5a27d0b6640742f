// A stack effect without '--' between inputs and outputs.
// BEGIN BYTECODES //

        op(_NO_SEPARATOR, (left, right, res)) {
            res = left;
        }

// END BYTECODES //
