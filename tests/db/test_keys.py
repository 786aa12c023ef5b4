"""Key strings are a persisted contract: these pin their exact shapes."""

from __future__ import annotations

from datetime import date

from portfolio_api.db import keys


def test_visitor_total_key() -> None:
    assert keys.visitor_total() == {"PK": "VISITORS", "SK": "TOTAL"}


def test_content_publication_marker_key() -> None:
    assert keys.content_publication("blog", "abc") == {"PK": "PUB#blog", "SK": "abc"}
    assert keys.content_publication_partition("blog") == "PUB#blog"


def test_user_sign_out_key() -> None:
    sub = "0b5e8f9a-1c2d-4e3f-8a9b-0c1d2e3f4a5b"
    assert keys.user_sign_out(sub) == {"PK": f"SIGNOUT#{sub}", "SK": "SIGNOUT"}


def test_content_item_key() -> None:
    assert keys.content_item("blog", "post_1") == {"PK": "CONTENT#blog#post_1", "SK": "ITEM"}


def test_content_site_entry_of_a_post_is_its_slug_in_the_site_partition() -> None:
    assert keys.content_site_entry("blog", "hello-world") == {
        "GSI2PK": "SITE",
        "GSI2SK": "blog#hello-world",
    }


def test_content_site_entry_of_a_project_is_its_id() -> None:
    assert keys.content_site_entry("project", "proj_1") == {
        "GSI2PK": "SITE",
        "GSI2SK": "project#proj_1",
    }


def test_content_site_partition_and_page_read_back_the_entry() -> None:
    assert keys.content_site_partition() == "SITE"
    assert keys.content_site_page("blog#hello-world") == ("blog", "hello-world")


def test_content_slug_key() -> None:
    assert keys.content_slug("blog", "hello-world") == {
        "PK": "SLUG#blog#hello-world",
        "SK": "SLUG",
    }


def test_content_counters_key() -> None:
    assert keys.content_counters("project") == {"PK": "COUNTS#project", "SK": "COUNTS"}


def test_content_counters_list_entry() -> None:
    assert keys.content_counters_list_entry("blog") == {
        "GSI1PK": "LIST#blog",
        "GSI1SK": "PUB#~COUNTS",
    }


def test_the_counters_sort_above_every_published_entry_of_their_list() -> None:
    head = keys.content_counters_list_entry("certification")["GSI1SK"]
    latest = keys.content_list_entry(
        "certification", "cert_f", published=True, sort_value="9999-12-31T23:59:59.999Z"
    )
    assert head.startswith(keys.CONTENT_PUBLISHED_PREFIX)
    assert latest["GSI1SK"] < head


def test_content_list_entry_of_a_published_item() -> None:
    entry = keys.content_list_entry(
        "blog", "post_1", published=True, sort_value="2024-03-15T10:30:00.000Z"
    )
    assert entry == {"GSI1PK": "LIST#blog", "GSI1SK": "PUB#2024-03-15T10:30:00.000Z#post_1"}


def test_content_list_entry_of_a_draft() -> None:
    entry = keys.content_list_entry("certification", "cert_1", published=False, sort_value="x")
    assert entry == {"GSI1PK": "LIST#certification", "GSI1SK": "DRAFT#x#cert_1"}


def test_visitor_trend_keys() -> None:
    day = date(2025, 3, 7)
    assert keys.visitor_day(day) == {"PK": "VISITORS", "SK": "DAY#2025-03-07"}


def test_daily_salt_key() -> None:
    assert keys.daily_salt(date(2025, 3, 7)) == {"PK": "SALT", "SK": "2025-03-07"}


def test_dedup_marker_keys() -> None:
    day = date(2025, 3, 7)
    assert keys.visit_seen("ab12", day) == {"PK": "SEEN#ab12", "SK": "VISIT#2025-03-07"}
    assert keys.view_seen("ab12", day, "blog", "p1") == {
        "PK": "SEEN#ab12",
        "SK": "VIEW#2025-03-07#blog#p1",
    }


def test_content_view_counter_keys() -> None:
    assert keys.content_views("project", "p1") == {"PK": "VIEWS#project", "SK": "p1"}
    assert keys.content_views_partition("project") == "VIEWS#project"


def test_resume_key() -> None:
    assert keys.resume() == {"PK": "RESUME", "SK": "CURRENT"}


def test_task_keys() -> None:
    assert keys.task("01J0000000000000000000TASK") == {
        "PK": "TASKS",
        "SK": "01J0000000000000000000TASK",
    }
    assert keys.task_partition() == "TASKS"
    assert keys.task_due_partition() == "TASKS#DUE"


def test_task_due_entry_sorts_undated_tasks_last() -> None:
    assert keys.task_due_entry("t1", date(2025, 3, 7)) == {
        "GSI1PK": "TASKS#DUE",
        "GSI1SK": "2025-03-07#t1",
    }
    assert keys.task_due_entry("t1", None) == {"GSI1PK": "TASKS#DUE", "GSI1SK": "~#t1"}
    assert keys.task_due_entry("t1", date(9999, 12, 31))["GSI1SK"] < "~#t1"


def test_task_due_before_bound_excludes_that_day() -> None:
    bound = keys.task_due_before(date(2025, 3, 7))
    assert bound == "2025-03-07"
    assert keys.task_due_entry("t1", date(2025, 3, 6))["GSI1SK"] < bound
    assert keys.task_due_entry("t1", date(2025, 3, 7))["GSI1SK"] > bound
