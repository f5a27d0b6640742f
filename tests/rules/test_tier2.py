"""Tier-2 rule: instructions tier 2 cannot run, why, and which are so by design."""

from __future__ import annotations

BEFORE = """
inst(PLAIN, (value -- res)) {
    res = value;
    DEAD(value);
}
op(_LOOK_BACK, (value -- value)) {
    Inspect(this_instr);
}
op(_WORK, (value -- value)) {
    Work(value);
}
macro(LOOKS_BACK) = _LOOK_BACK + _WORK;
inst(WIDE, (a/1, b/2, c/1, value -- value)) {
    Use(a, b, c);
}
inst(BOTH_ERRORS, (value -- value)) {
    ERROR_IF(Bad(value));
    if (Worse(value)) {
        ERROR_NO_POP();
    }
}
tier1 inst(ONLY_T1, (--)) {
    Here();
}
inst(INSTRUMENTED_PLAIN, (--)) {
    Monitor(this_instr);
}
specializing op(_SPECIALIZE_WORK, (counter/1, value -- value)) {
    Specialize(this_instr, counter);
}
macro(WORK) = _SPECIALIZE_WORK + _WORK;
inst(PAIR_PAIR, (--)) {
    Pair(oparg1, oparg2);
}
"""

AFTER = BEFORE.replace("Inspect(this_instr);", "Inspect(oparg);")


def test_reasons_and_by_design(scan):
    ts = scan(BEFORE)
    facts = {f["name"]: f for f in ts.instructions}
    assert facts["PLAIN"]["tier2"] is True
    assert facts["WORK"]["tier2"] is True  # specializing uops are skipped
    assert facts["PAIR_PAIR"]["tier2"] is True  # a superinstruction
    assert facts["LOOKS_BACK"]["tier2"] is False
    assert "this_instr" in facts["LOOKS_BACK"]["reason"]
    assert facts["LOOKS_BACK"]["uops"] == ["_LOOK_BACK", "_WORK"]
    assert "cache entries" in facts["WIDE"]["reason"]
    assert "popping" in facts["BOTH_ERRORS"]["reason"]
    assert "tier1" in facts["ONLY_T1"]["reason"]
    assert facts["INSTRUMENTED_PLAIN"]["by_design"]
    ids = {t.id for t in ts.tasks if t.kind == "tier2"}
    assert ids == {"tier2:LOOKS_BACK", "tier2:WIDE", "tier2:BOTH_ERRORS", "tier2:ONLY_T1"}
    t = ts.get("tier2:LOOKS_BACK")
    assert t.status == "open" and t.difficulty == "hard"
    assert "this_instr" in t.recipe["suggestion"]


def test_fixed_instruction_is_no_longer_a_task(scan):
    ts = scan(AFTER)
    assert ts.get("tier2:LOOKS_BACK") is None
    assert {f["name"]: f for f in ts.instructions}["LOOKS_BACK"]["tier2"] is True
