// An array size whose parentheses do not balance.
// BEGIN BYTECODES //

        inst(UNBALANCED, (items[1 + (oparg & 1] -- res)) {
            res = items[0];
        }

// END BYTECODES //
