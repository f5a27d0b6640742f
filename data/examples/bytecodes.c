/* A toy instruction set written for jit-tracker's demos and tests.
 *
 * It uses the same definition language as CPython's Python/bytecodes.c, but the
 * instructions, their names and their bodies are made up: small enough to read in
 * one sitting, yet showing every kind of task the tracker finds.
 */

#include "toy.h"

#define TOY_TAG(x) \
    ((x) & 0x7)

// BEGIN BYTECODES //

        inst(NOP, (--)) {
        }

        pure inst(PUSH_CONST, (-- value)) {
            value = PyStackRef_FromPyObjectNew(GETITEM(FRAME_CO_CONSTS, oparg));
        }

        inst(POP_TOP, (value --)) {
            PyStackRef_CLOSE(value);
        }

        op(_POP_TOP_INT, (value --)) {
            assert(PyLong_CheckExact(PyStackRef_AsPyObjectBorrow(value)));
            PyStackRef_CLOSE_SPECIALIZED(value, _PyLong_ExactDealloc);
        }

        op(_POP_TOP_FLOAT, (value --)) {
            PyStackRef_CLOSE_SPECIALIZED(value, _PyFloat_ExactDealloc);
        }

        pure op(_POP_TOP_NOP, (value --)) {
            DEAD(value);
        }

        family(ADD, INLINE_CACHE_ENTRIES_ADD) = {
            ADD_INT,
            ADD_FLOAT,
            ADD_STR,
        };

        specializing op(_SPECIALIZE_ADD, (counter/1, lhs, rhs -- lhs, rhs)) {
            #if ENABLE_SPECIALIZATION
            if (ADAPTIVE_COUNTER_TRIGGERS(counter)) {
                next_instr = this_instr;
                _Toy_Specialize_Add(lhs, rhs, next_instr);
                DISPATCH_SAME_OPARG();
            }
            ADVANCE_ADAPTIVE_COUNTER(this_instr[1].counter);
            #endif  /* ENABLE_SPECIALIZATION */
        }

        op(_ADD, (lhs, rhs -- res)) {
            PyObject *o = Toy_Add(PyStackRef_AsPyObjectBorrow(lhs),
                                  PyStackRef_AsPyObjectBorrow(rhs));
            DECREF_INPUTS();
            ERROR_IF(o == NULL);
            res = PyStackRef_FromPyObjectSteal(o);
        }

        macro(ADD) = _SPECIALIZE_ADD + unused/1 + _ADD;

        op(_GUARD_TOS_INT, (value -- value)) {
            EXIT_IF(!PyLong_CheckExact(PyStackRef_AsPyObjectBorrow(value)));
        }

        op(_GUARD_NOS_INT, (left, unused -- left, unused)) {
            EXIT_IF(!PyLong_CheckExact(PyStackRef_AsPyObjectBorrow(left)));
        }

        op(_GUARD_TOS_FLOAT, (value -- value)) {
            EXIT_IF(!PyFloat_CheckExact(PyStackRef_AsPyObjectBorrow(value)));
        }

        op(_GUARD_NOS_FLOAT, (left, unused -- left, unused)) {
            EXIT_IF(!PyFloat_CheckExact(PyStackRef_AsPyObjectBorrow(left)));
        }

        /* Already converted: the inputs come back as outputs and the macro pops them. */
        pure op(_ADD_INT, (left, right -- res, l, r)) {
            PyObject *o = _Toy_Long_Add(PyStackRef_AsPyObjectBorrow(left),
                                        PyStackRef_AsPyObjectBorrow(right));
            ERROR_IF(o == NULL);
            res = PyStackRef_FromPyObjectSteal(o);
            l = left;
            r = right;
            INPUTS_DEAD();
        }

        macro(ADD_INT) = _GUARD_TOS_INT + _GUARD_NOS_INT + unused/1 + _ADD_INT + _POP_TOP_INT + _POP_TOP_INT;

        /* Not yet converted: the float helper consumes both operands. */
        pure op(_ADD_FLOAT, (left, right -- res)) {
            double d = PyFloat_AS_DOUBLE(PyStackRef_AsPyObjectBorrow(left)) +
                       PyFloat_AS_DOUBLE(PyStackRef_AsPyObjectBorrow(right));
            res = _Toy_Float_FromDouble_ConsumeInputs(left, right, d);
            INPUTS_DEAD();
            ERROR_IF(PyStackRef_IsNull(res));
        }

        macro(ADD_FLOAT) = _GUARD_TOS_FLOAT + _GUARD_NOS_FLOAT + unused/1 + _ADD_FLOAT;

        op(_ADD_STR, (left, right -- res)) {
            PyObject *o = Toy_Concat(PyStackRef_AsPyObjectBorrow(left),
                                     PyStackRef_AsPyObjectBorrow(right));
            PyStackRef_CLOSE_SPECIALIZED(right, _PyUnicode_ExactDealloc);
            PyStackRef_CLOSE_SPECIALIZED(left, _PyUnicode_ExactDealloc);
            ERROR_IF(o == NULL);
            res = PyStackRef_FromPyObjectSteal(o);
        }

        macro(ADD_STR) = unused/1 + _ADD_STR;

        /* An `is` comparison written as a plain inst: converting it means a split. */
        inst(IS, (left, right -- b)) {
            int res = Py_Is(PyStackRef_AsPyObjectBorrow(left),
                            PyStackRef_AsPyObjectBorrow(right)) ^ oparg;
            DECREF_INPUTS();
            b = res ? PyStackRef_True : PyStackRef_False;
        }

        /* A one-argument type call; releases `arg` on one path only. */
        op(_CALL_TYPE_1, (callable, null, arg -- res)) {
            PyObject *arg_o = PyStackRef_AsPyObjectBorrow(arg);
            DEOPT_IF(!PyStackRef_IsNull(null));
            DEOPT_IF(callable.bits != (uintptr_t)&PyType_Type);
            res = PyStackRef_FromPyObjectNew(Py_TYPE(arg_o));
            if (res.bits != 0) {
                PyStackRef_CLOSE(arg);
            }
            DEAD(null);
            DEAD(callable);
        }

        macro(CALL_TYPE_1) = unused/1 + unused/2 + _CALL_TYPE_1;

        /* Builds a tuple from an array of inputs: needs a design decision. */
        op(_BUILD_PAIRS, (values[oparg*2] -- tup)) {
            PyObject *t = _Toy_Tuple_FromStackRefStealOnSuccess(values, oparg * 2);
            if (t == NULL) {
                DECREF_INPUTS();
                ERROR_IF(true);
            }
            INPUTS_DEAD();
            tup = PyStackRef_FromPyObjectStealMortal(t);
        }

        macro(BUILD_PAIRS) = _BUILD_PAIRS;

        op(_STORE_ATTR_SLOT, (index/1, value, owner --)) {
            PyObject *owner_o = PyStackRef_AsPyObjectBorrow(owner);
            char *addr = (char *)owner_o + index;
            PyObject *old = *(PyObject **)addr;
            FT_STORE_PTR_RELEASE(*(PyObject **)addr, PyStackRef_AsPyObjectSteal(value));
            PyStackRef_CLOSE(owner);
            Py_XDECREF(old);
        }

        macro(STORE_ATTR_SLOT) = unused/1 + _STORE_ATTR_SLOT;

        op(_LOAD_LEN, (obj -- obj, len)) {
            Py_ssize_t n = PyObject_Length(PyStackRef_AsPyObjectBorrow(obj));
            ERROR_IF(n < 0);
            PyObject *o = PyLong_FromSsize_t(n);
            ERROR_IF(o == NULL);
            len = PyStackRef_FromPyObjectSteal(o);
        }

        macro(LOAD_LEN) = _LOAD_LEN;

        /* Tier 1 only: uses the instruction pointer of tier 1. */
        tier1 inst(TRACE_HERE, (--)) {
            _Toy_Trace(frame, this_instr);
        }

        inst(JUMP_BACK, (--)) {
            JUMPBY(-oparg);
        }

        inst(INSTRUMENTED_NOP, ( -- )) {
            _Toy_Instrument(frame, this_instr);
        }

        replicate(4) pure op(_LOAD_SMALL, (-- value)) {
            value = PyStackRef_FromPyObjectBorrow(Toy_SmallInts[oparg]);
        }

        macro(LOAD_SMALL) = _LOAD_SMALL;

        inst(CHECK_MESSAGE, (value -- value)) {
            const char *msg = "a } brace and a \" quote in a string";
            char c = '}';
            if (c == '{') {
                ERROR_NO_POP();
            }
        }

        pseudo(JUMP_ANY, (--)) = {
            JUMP_BACK,
            NOP,
        };

        pseudo(POP_MAYBE, (value --), (HAS_ARG, HAS_JUMP)) = {
            POP_TOP,
        };

        label(pop_1_error) {
            stack_pointer -= 1;
            goto error;
        }

        spilled label(error) {
            /* braces in comments do not count: { */
            goto exit_unwind;
        }

// END BYTECODES //
