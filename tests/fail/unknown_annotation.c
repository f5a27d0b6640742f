// An annotation the DSL does not know.
// BEGIN BYTECODES //

        pure inst(GOOD, (--)) {
        }

        speedy op(_FAST, (value -- value)) {
        }

// END BYTECODES //
