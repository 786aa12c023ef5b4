"""The contract's Visitors and Analytics operations all exist, under their operation ids."""

from __future__ import annotations

from fastapi import FastAPI

from tests.visitors.contract import contract_operation_ids


def _operation_ids(app: FastAPI, tag: str) -> set[str]:
    return {
        operation["operationId"]
        for methods in app.openapi()["paths"].values()
        for operation in methods.values()
        if tag in operation.get("tags", [])
    }


def test_every_visitors_operation_of_the_contract_is_served(app: FastAPI) -> None:
    expected = contract_operation_ids("Visitors")
    assert len(expected) == 4
    assert expected <= _operation_ids(app, "Visitors")


def test_every_analytics_operation_of_the_contract_is_served(app: FastAPI) -> None:
    expected = contract_operation_ids("Analytics")
    assert len(expected) == 5
    assert _operation_ids(app, "Analytics") == expected


def test_the_only_additions_are_the_resume_counter_and_the_badge(app: FastAPI) -> None:
    extra = _operation_ids(app, "Visitors") - contract_operation_ids("Visitors")
    assert extra == {"hitVisitorCounter", "hitVisitorCounterWithGet", "getVisitorBadge"}
