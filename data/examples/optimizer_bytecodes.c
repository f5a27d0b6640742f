/* Abstract cases of the toy instruction set, for jit-tracker's demos and tests. */

// BEGIN BYTECODES //

op(_PUSH_CONST, (-- value)) {
    value = sym_new_const(ctx, GETITEM(co->co_consts, oparg));
}

op(_POP_TOP_INT, (value --)) {
}

op(_GUARD_TOS_INT, (value -- value)) {
    if (sym_matches_type(value, &PyLong_Type)) {
        REPLACE_OP(this_instr, _NOP, 0, 0);
    }
    sym_set_type(value, &PyLong_Type);
}

op(_GUARD_NOS_INT, (left, unused -- left, unused)) {
    sym_set_type(left, &PyLong_Type);
}

op(_ADD_INT, (left, right -- res, l, r)) {
    res = sym_new_type(ctx, &PyLong_Type);
    l = left;
    r = right;
}

op(_ADD_FLOAT, (left, right -- res)) {
    res = sym_new_type(ctx, &PyFloat_Type);
}

op(_CALL_TYPE_1, (unused, unused, arg -- res)) {
    PyObject *type = (PyObject *)sym_get_type(arg);
    res = type ? sym_new_const(ctx, type) : sym_new_not_null(ctx);
}

// END BYTECODES //
