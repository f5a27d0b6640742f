// A family listing an instruction that is not defined.
// BEGIN BYTECODES //

        inst(HEAD, (--)) {
        }

        inst(HEAD_FAST, (--)) {
        }

        family(HEAD, 0) = {
            HEAD_FAST,
            HEAD_SLOW,
        };

// END BYTECODES //
