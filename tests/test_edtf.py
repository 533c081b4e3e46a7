import datetime

import pytest
from django.core.exceptions import ValidationError

from catalogue import edtf

D = datetime.date


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("1997-04-22", D(1997, 4, 22), D(1997, 4, 22)),
        ("1997-04", D(1997, 4, 1), D(1997, 4, 30)),
        ("199X", D(1990, 1, 1), D(1999, 12, 31)),
        ("1990~", D(1990, 1, 1), D(1990, 12, 31)),
        ("1997?", D(1997, 1, 1), D(1997, 12, 31)),
        ("1982/1997", D(1982, 1, 1), D(1997, 12, 31)),
        ("1982-03-01/1997~", D(1982, 3, 1), D(1997, 12, 31)),
        ("1984/..", D(1984, 1, 1), None),
        ("1984/", D(1984, 1, 1), None),
        ("../1997", None, D(1997, 12, 31)),
        (" 1997 ", D(1997, 1, 1), D(1997, 12, 31)),
        ("", None, None),
    ],
)
def test_dates_written_in_edtf_give_the_earliest_and_latest_day(text, earliest, latest):
    assert edtf.parse(text) == edtf.Bounds(earliest, latest)


@pytest.mark.parametrize(
    "text", ["1997-13", "April 1997", "199Y", "1997-02-30", "22/04/1997", "199u", "1997-04-22T"]
)
def test_text_that_is_not_edtf_is_refused_with_examples_of_what_to_write(text):
    with pytest.raises(ValidationError) as error:
        edtf.parse(text)
    assert "is not a date in EDTF" in error.value.messages[0]
    assert "1982/1997" in error.value.messages[0]


def test_a_reversed_interval_is_refused_with_a_hint():
    with pytest.raises(ValidationError) as error:
        edtf.parse("1997/1982")
    assert "ends before it starts" in error.value.messages[0]


def test_years_the_catalogue_cannot_sort_are_refused():
    with pytest.raises(ValidationError) as error:
        edtf.parse("-0100")
    assert error.value.code == "edtf_range"
