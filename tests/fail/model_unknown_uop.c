// A macro naming a uop that is not defined (checked when the model is built).
// BEGIN BYTECODES //

        op(_KNOWN, (value -- value)) {
        }

        macro(COMBINED) = _KNOWN + unused/1 + _MISSING;

// END BYTECODES //
