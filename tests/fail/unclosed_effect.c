// A stack effect whose closing parenthesis is missing.
// BEGIN BYTECODES //

        inst(OPEN_EFFECT, (left, right -- res) {
            res = left;
        }

// END BYTECODES //
