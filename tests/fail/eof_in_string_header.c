// A string literal in a definition header, never closed.
// BEGIN BYTECODES //

        family(HEAD, "SIZE) = {
            MEMBER,
        };

// END BYTECODES //
