"""Order import (Shopify export, mapped generic CSV) and duplicate-order detection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from triage.errors import OrdersError
from triage.orders.csv_import import (
    canonical_number,
    find_duplicate_orders,
    generic_stage,
    orders_from_text,
    read_orders,
    shopify_stage,
)
from triage.records import STAGES, Order
from triage.settings import OrdersSettings

DATA = Path(__file__).parent / "data" / "orders"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def shopify():
    return read_orders(DATA / "shopify_export.csv", OrdersSettings())


def by_number(result):
    return {o.number: o for o in result.orders}


def test_shopify_groups_line_items_and_keeps_order_level_columns(shopify):
    orders = by_number(shopify)
    assert sorted(orders) == ["1001", "1002", "1003", "1004", "1006", "1007", "1008"]
    o = orders["1001"]
    assert o.email == "jane.doe@example.com"
    assert o.stage == "unfulfilled"
    assert o.items == ("Ethiopia Yirgacheffe 250g", "2 x Colombia Huila 500g")
    assert o.created_at == datetime(2024, 11, 4, 8, 15, 2, tzinfo=UTC)
    assert o.customer_name == "Jane Doe"
    assert o.country == "DE"
    assert o.total == "56.80 EUR"
    assert o.financial_status == "paid"
    assert o.fulfillment_status == "unfulfilled"
    assert orders["1006"].items == ("Colombia Huila 500g", "Espresso Blend 1kg", "3 x Paper filters")


@pytest.mark.parametrize(
    ("number", "stage"),
    [
        ("1001", "unfulfilled"),  # paid, unfulfilled
        ("1002", "delivered"),  # fulfilled + tag "delivered"
        ("1003", "refunded"),  # refunded and cancelled
        ("1004", "label_created"),  # unfulfilled + tag "label-created"
        ("1006", "pending_payment"),  # financial pending
        ("1007", "in_progress"),  # partial fulfillment
        ("1008", "in_progress"),  # authorized + tag "In Progress"
    ],
)
def test_shopify_stage_per_fixture_order(shopify, number, stage):
    assert by_number(shopify)[number].stage == stage


def test_shopify_normalizes_email_and_reads_dates(shopify):
    o = by_number(shopify)["1002"]
    assert o.email == "bob.miller@example.com"
    assert o.fulfilled_at == datetime(2024, 10, 29, 10, 2, 45, tzinfo=UTC)
    assert by_number(shopify)["1003"].canceled_at == datetime(2024, 11, 1, 17, 30, tzinfo=UTC)


def test_shopify_bad_rows_are_reported_by_line_and_the_rest_loads(shopify):
    problems = {p.line: p.message for p in shopify.problems}
    # Line 8 is #1005 with an unreadable "Created at"; its line item on line 9 goes with it.
    # The quoted two-line note of #1004 (lines 6-7) must not shift these numbers.
    assert sorted(problems) == [8, 9, 15]
    assert "#1005" in problems[8] and "date" in problems[8]
    assert "line 8" in problems[9]
    assert "Name" in problems[15]
    assert "1005" not in by_number(shopify)


def test_missing_required_columns_raise_naming_file_and_columns(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("Name,Email,Fulfillment Status\n#1,a@example.com,unfulfilled\n", encoding="utf-8")
    with pytest.raises(OrdersError) as err:
        read_orders(path, OrdersSettings())
    msg = str(err.value)
    assert str(path) in msg
    assert '"Financial Status"' in msg and '"Created at"' in msg


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("", "empty"),
        (b"\xff\xfeN\x00a\x00", "UTF-8"),
    ],
)
def test_unreadable_files_raise_orders_error(tmp_path, content, expected):
    path = tmp_path / "orders.csv"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(OrdersError, match=expected):
        read_orders(path, OrdersSettings())


def test_shopify_utf8_bom_header_is_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    text = (
        "Name,Email,Financial Status,Fulfillment Status,Created at\n"
        "#1500,x@example.com,paid,,2024-11-05 10:00:00 +0100\n"
    )
    path.write_text(text, encoding="utf-8-sig")
    result = read_orders(path, OrdersSettings())
    assert [o.number for o in result.orders] == ["1500"] and result.problems == []


@pytest.mark.parametrize(
    ("financial", "fulfillment", "cancelled", "tags", "stage"),
    [
        ("paid", "unfulfilled", False, [], "unfulfilled"),
        ("paid", "", False, [], "unfulfilled"),
        ("authorized", "", False, [], "unfulfilled"),
        ("pending", "", False, [], "pending_payment"),
        ("partially_paid", "", False, [], "pending_payment"),
        ("paid", "partial", False, [], "in_progress"),
        ("paid", "unfulfilled", False, ["picking"], "in_progress"),
        ("paid", "unfulfilled", False, ["label-created"], "label_created"),
        ("paid", "unfulfilled", False, ["Label Printed"], "label_created"),
        ("paid", "fulfilled", False, [], "shipped"),
        ("paid", "fulfilled", False, ["in-progress"], "shipped"),  # tags never move an order back
        ("paid", "fulfilled", False, ["delivered"], "delivered"),
        ("paid", "fulfilled", False, ["label-created"], "label_created"),  # label bought, not handed over
        ("paid", "fulfilled", False, ["label-created", "in-transit", "shipped"], "shipped"),
        ("paid", "restocked", False, [], "returned"),
        ("partially_refunded", "fulfilled", False, ["returned"], "returned"),
        ("refunded", "fulfilled", False, [], "refunded"),
        ("refunded", "unfulfilled", True, ["label-created"], "refunded"),
        ("paid", "unfulfilled", True, [], "canceled"),
        ("voided", "unfulfilled", False, [], "canceled"),
        ("paid", "unfulfilled", True, ["label-created"], "canceled"),
        ("partially_refunded", "partial", False, [], "in_progress"),
    ],
)
def test_shopify_status_mapping(financial, fulfillment, cancelled, tags, stage):
    assert shopify_stage(financial, fulfillment, cancelled, tags) == stage
    assert stage in STAGES


GENERIC = OrdersSettings(
    format="generic",
    number_column="Order",
    email_column="Customer Email",
    stage_column="Status",
    status_column="",
    created_column="Placed",
    fulfilled_column="Fulfilled",
    cancelled_column="",
    name_column="Customer",
    country_column="Ship Country",
    items_column="Products",
    total_column="Amount",
    order_patterns=(r"SO-(\d+)",),
    timezone="Europe/Berlin",
)


def test_generic_csv_via_column_mapping():
    result = read_orders(DATA / "generic.csv", GENERIC)
    orders = by_number(result)
    assert sorted(orders) == ["2001", "2002", "2003", "2004"]
    a = orders["2001"]
    assert (a.email, a.stage, a.customer_name, a.country, a.total) == (
        "anna@example.com",
        "label_created",
        "Anna Berg",
        "SE",
        "89.00",
    )
    assert a.items == ("Grinder", "Beans 250g")
    assert a.created_at == datetime(2024, 11, 5, 9, 0, tzinfo=BERLIN)  # naive cell = shop time zone
    assert orders["2002"].items == ("Beans 250g", "Filters")  # a second row adds line items
    assert orders["2002"].fulfilled_at == datetime(2024, 11, 2, 8, 0, tzinfo=BERLIN)
    assert orders["2003"].stage == "unfulfilled"
    assert orders["2004"].stage == "unknown"
    problems = {p.line: p.message for p in result.problems}
    assert sorted(problems) == [6, 7, 8]
    assert "teleported" in problems[6] and "unknown" in problems[6]
    assert '"Order"' in problems[7]
    assert "SO-2006" in problems[8] and "date" in problems[8]


def test_generic_status_column_with_status_map():
    settings = OrdersSettings(format="generic", status_map={"Packed": "in_progress", "on hold": "pending_payment"})
    result = read_orders(DATA / "generic_status.csv", settings)
    assert {o.number: o.stage for o in result.orders} == {
        "1101": "in_progress",
        "1102": "pending_payment",
        "1103": "shipped",
        "1104": "canceled",
    }
    assert result.problems == []
    assert by_number(result)["1103"].created_at == datetime(2024, 11, 4, 15, 0, tzinfo=UTC)


def test_generic_missing_mapped_columns_raise():
    with pytest.raises(OrdersError, match='"order_number"'):
        orders_from_text("number,email,stage\n1,a@example.com,shipped\n", OrdersSettings(format="generic"))
    with pytest.raises(OrdersError, match='"stage" or "status"'):
        orders_from_text("order_number,email\n1001,a@example.com\n", OrdersSettings(format="generic"))


@pytest.mark.parametrize(
    ("stage", "status", "cancelled", "fulfilled", "expected"),
    [
        ("in_progress", "", False, False, "in_progress"),
        ("Label Created", "", False, False, "label_created"),
        ("cancelled", "", False, False, "canceled"),
        ("", "Fulfilled", False, False, "shipped"),
        ("", "", True, False, "canceled"),
        ("", "", False, True, "shipped"),
        ("", "", False, False, "unfulfilled"),
    ],
)
def test_generic_stage_rules(stage, status, cancelled, fulfilled, expected):
    assert generic_stage(stage, status, {}, cancelled, fulfilled) == expected


def test_unknown_format_is_an_error():
    with pytest.raises(OrdersError, match="unknown orders format"):
        orders_from_text("a\n", OrdersSettings(format="woo"))


@pytest.mark.parametrize(
    ("value", "patterns", "expected"),
    [
        ("#1042", None, "1042"),
        ("1042", None, "1042"),
        (" # 1042 ", None, "1042"),
        ("SO-2001", (r"SO-(\d+)",), "2001"),
        ("EU-1042-B", (r"(EU-\d+-[A-Z])",), "EU-1042-B"),
    ],
)
def test_canonical_number(value, patterns, expected):
    assert canonical_number(value, *(patterns,) if patterns else ()) == expected


def _order(number, email, minutes, items, stage="unfulfilled"):
    return Order(
        number=number,
        email=email,
        stage=stage,
        created_at=datetime(2024, 11, 5, 9, 0, tzinfo=UTC) + timedelta(minutes=minutes),
        items=items,
    )


def test_duplicate_pair_is_found_and_repeat_customer_is_not():
    orders = [
        _order("1010", "erin@example.com", 0, ("Kettle", "Beans 250g")),
        _order("1011", "Erin@Example.com", 3, ("Beans 250g", "Kettle")),  # same basket, other order, 3 min later
        _order("1020", "frank@example.com", 0, ("Beans 250g",)),
        _order("1055", "frank@example.com", 5 * 24 * 60, ("Beans 250g",)),  # the same again five days later
        _order("1030", "gina@example.com", 0, ("Beans 250g",)),
        _order("1031", "gina@example.com", 10, ("Beans 250g", "Beans 250g")),  # different quantity
        _order("1040", "hal@example.com", 0, ("Kettle",)),
        _order("1041", "hal@example.com", 5, ("Kettle",), stage="canceled"),  # already dealt with
        _order("1050", "ivy@example.com", 0, ("Kettle",)),
        _order("1051", "jon@example.com", 1, ("Kettle",)),  # same items, other customer
    ]
    assert find_duplicate_orders(orders, 60) == [("1010", "1011")]
    assert find_duplicate_orders(orders, 2) == []
    assert ("1020", "1055") in find_duplicate_orders(orders, 6 * 24 * 60)


def test_triple_checkout_gives_every_pair_in_the_window():
    orders = [_order(str(1100 + i), "kim@example.com", i, ("Grinder",)) for i in range(3)]
    assert find_duplicate_orders(orders, 60) == [("1100", "1101"), ("1100", "1102"), ("1101", "1102")]
