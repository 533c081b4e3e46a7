"""The address of a record's page or API detail, from a pattern reversed once.

A page of the API or of OAI-PMH can name tens of thousands of related records; reversing a
URL costs about a tenth of a millisecond, splicing an id into a reversed pattern next to
nothing. Public ids are letters and digits, which a URL carries as they are.
"""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

PLACEHOLDER = "0placeholder0"


@lru_cache(maxsize=64)
def _parts(script_prefix, name):
    before, _, after = reverse(name, args=[PLACEHOLDER]).partition(PLACEHOLDER)
    return before, after


def address(name, public_id):
    """reverse(name, args=[public_id]), for a URL whose one argument is a public id."""
    before, after = _parts(get_script_prefix(), name)
    return f"{before}{public_id}{after}"
