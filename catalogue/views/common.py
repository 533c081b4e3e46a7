"""What every public page shares: tidy addresses, page numbers, a 400 with a message."""

from django.http import (
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import render

from .. import (
    search,
)

PAGE_SIZE = 20


def bad_request(request, message):
    return render(request, "catalogue/bad_request.html", {"message": message}, status=400)


# Public pages take what their forms send, each value up to the search box's length. An
# address with anything else (a tracking parameter, a parameter of another page) or a longer
# value is sent on to the same page without it, so nothing else is ever echoed back.
SEARCH_PARAMETERS = frozenset(
    {"q", "type", "sort", "page", "decade", "language", "date_from", "date_to"}
)


def tidy_address(request, known):
    """A redirect to this page without unknown parameters and with over-long values cut; or
    None when the address is already tidy."""
    kept = {
        name: [value[: search.MAX_QUERY_LENGTH] for value in request.GET.getlist(name)]
        for name in request.GET
        if name in known
    }
    if kept == dict(request.GET.lists()):
        return None
    query = QueryDict(mutable=True)
    for name, values in kept.items():
        query.setlist(name, values)
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if kept else request.path)


def page_number(request):
    """The requested page as a whole number of at least 1, or None when it is not one."""
    raw = request.GET.get("page", "1").strip() or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        return None
    return int(raw)


def address_with(request, path=None, **values):
    """This page's address (or `path` with this page's parameters) with these parameters set,
    those given as None removed, and no page number."""
    params = request.GET.copy()
    for name, value in {"page": None, **values}.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    path = path or request.path
    return f"{path}?{params.urlencode()}" if params else path


def year_links(request):
    """A timeline's links: this list narrowed to a span of years, and back to every year.

    The same addresses as `address_with` gives, but the other parameters are encoded once for
    all of a chart's bars rather than once for each."""
    params = request.GET.copy()
    params.pop("page", None)
    params["date_from"] = params["date_to"] = ""  # where the reader's own were, or last
    parts = []
    for name, values in params.lists():
        if name in ("date_from", "date_to"):
            parts.append(name)
            continue
        one = QueryDict(mutable=True)
        one.setlist(name, values)
        parts.append(one.urlencode())

    def narrowed(first, last):
        years = {"date_from": f"date_from={first:04d}", "date_to": f"date_to={last:04d}"}
        return f"{request.path}?{'&'.join(years.get(part, part) for part in parts)}"

    return narrowed, address_with(request, date_from=None, date_to=None)


def chosen_years(date_from, date_to):
    """(first, last) years when the dates chosen are whole years, else None."""
    if (
        date_from
        and date_to
        and (date_from.month, date_from.day, date_to.month, date_to.day)
        == (
            1,
            1,
            12,
            31,
        )
    ):
        return date_from.year, date_to.year
    return None
