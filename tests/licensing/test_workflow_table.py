"""The transition tables, checked against an independent statement of the rules (double entry):
every state x every action x every kind of actor."""

import itertools

import pytest

from apps.licensing import workflow
from apps.licensing.workflow import ApplicationStatus as S
from apps.licensing.workflow import LicenceStatus as L

ACTORS = ["producer", "reviewer", "assigned_reviewer", "supervisor", "approver", "system"]

# action -> (states it may start from, actor kinds who may take it)
APPLICATION_RULES = {
    "submit": ({S.DRAFT}, {"producer"}),
    "take": ({S.SUBMITTED}, {"reviewer"}),
    "assign": ({S.SUBMITTED, S.UNDER_REVIEW}, {"supervisor", "system"}),
    "request_information": ({S.UNDER_REVIEW}, {"assigned_reviewer"}),
    "answer_information": ({S.INFORMATION_REQUESTED}, {"producer"}),
    "close_lapsed": ({S.INFORMATION_REQUESTED}, {"assigned_reviewer", "system"}),
    "recommend": ({S.UNDER_REVIEW}, {"assigned_reviewer"}),
    "send_back": ({S.REVIEWED}, {"approver"}),
    "approve": ({S.REVIEWED}, {"approver"}),
    "deny": ({S.REVIEWED}, {"approver"}),
    "withdraw": ({S.SUBMITTED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.REVIEWED}, {"producer"}),
}
LICENCE_RULES = {
    "suspend": ({L.ACTIVE}, {"approver"}),
    "reinstate": ({L.SUSPENDED}, {"approver"}),
    "revoke": ({L.ACTIVE, L.SUSPENDED}, {"approver"}),
    "surrender": ({L.ACTIVE, L.SUSPENDED}, {"producer"}),
    "expire": ({L.ACTIVE, L.SUSPENDED}, {"system"}),
    "exhaust": ({L.ACTIVE}, {"system"}),
    "restore": ({L.EXHAUSTED}, {"system"}),
}


def _outcome(table, action, state, actor):
    try:
        workflow.check(table, action, state, {actor}, reason="because")
    except workflow.TransitionRefused as refused:
        return refused.code
    return "ok"


@pytest.mark.parametrize(
    ("action", "state", "actor"),
    list(itertools.product(APPLICATION_RULES, S.values, ACTORS)),
)
def test_application_transition_matrix(action, state, actor):
    sources, actors = APPLICATION_RULES[action]
    expected = (
        "wrong_state" if state not in sources else ("ok" if actor in actors else "not_allowed")
    )
    assert _outcome(workflow.APPLICATION_TRANSITIONS, action, state, actor) == expected


@pytest.mark.parametrize(
    ("action", "state", "actor"), list(itertools.product(LICENCE_RULES, L.values, ACTORS))
)
def test_licence_transition_matrix(action, state, actor):
    sources, actors = LICENCE_RULES[action]
    expected = (
        "wrong_state" if state not in sources else ("ok" if actor in actors else "not_allowed")
    )
    assert _outcome(workflow.LICENCE_TRANSITIONS, action, state, actor) == expected


def test_tables_have_no_action_the_rules_do_not_know():
    assert set(workflow.APPLICATION_TRANSITIONS) == set(APPLICATION_RULES)
    assert set(workflow.LICENCE_TRANSITIONS) == set(LICENCE_RULES)


def test_final_states_have_no_way_out():
    for state in workflow.FINAL_APPLICATION_STATES:
        assert workflow.available(workflow.APPLICATION_TRANSITIONS, state, set(ACTORS)) == []


@pytest.mark.parametrize("action", ["deny", "withdraw", "send_back", "close_lapsed"])
def test_actions_that_need_a_reason_refuse_without_one(action):
    sources, actors = APPLICATION_RULES[action]
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.check(workflow.APPLICATION_TRANSITIONS, action, next(iter(sources)), actors, "  ")
    assert refused.value.code == "reason_required"


def test_unknown_action_is_refused():
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.check(workflow.APPLICATION_TRANSITIONS, "fly", S.DRAFT, {"producer"})
    assert refused.value.code == "unknown_action"
