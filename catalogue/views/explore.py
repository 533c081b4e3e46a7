"""The network around a record: as JSON for the network view, and as a page of lists."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import graph


class BadInput(ValueError):
    pass


def _choices(request):
    """(focus record, depth, year) from the address, or BadInput with a reader's message."""
    focus = request.GET.get("focus", "").strip()
    if not focus:
        raise BadInput(_("Say whose network to show: focus=<public id of a record>."))
    depth = request.GET.get("depth", "").strip() or "1"
    if depth not in {str(step) for step in range(1, graph.MAX_DEPTH + 1)}:
        raise BadInput(_("depth is 1 or 2."))
    year = request.GET.get("year", "").strip()
    if year and not (year.isdigit() and 1000 <= int(year) <= 2999):
        raise BadInput(_("year is a year of four digits, such as 1996."))
    for model in graph.MODELS.values():
        record = model.objects.public().filter(public_id=focus[:40]).first()
        if record is not None:
            return record, int(depth), int(year) if year else None
    raise Http404(_("No public person, organization, case or event has that id."))


@require_safe
def graph_json(request):
    try:
        record, depth, year = _choices(request)
    except BadInput as problem:
        return JsonResponse({"error": str(problem)}, status=400)
    except Http404 as missing:
        return JsonResponse({"error": str(missing)}, status=404)
    network = graph.around(record, depth=depth, year=year)
    return JsonResponse({**network.as_json(), "depth": depth, "year": year})


def _address(focus, depth, year):
    params = {"focus": focus, "depth": depth if depth != 1 else None, "year": year}
    return f"{reverse('explore')}?{urlencode({k: v for k, v in params.items() if v})}"


@require_safe
def explore(request):
    try:
        record, depth, year = _choices(request)
    except BadInput as problem:
        return render(request, "catalogue/bad_request.html", {"message": str(problem)}, status=400)
    network = graph.around(record, depth=depth, year=year)
    names = {node["id"]: node for node in network.nodes}
    edges = [
        {
            **edge,
            "from": names[edge["source"]],
            "to": names[edge["target"]],
            "recentre": _address(
                edge["target"] if edge["source"] == record.public_id else edge["source"],
                depth,
                year,
            ),
        }
        for edge in network.edges
    ]
    context = {
        "focus": record.public_view(),
        "network": network,
        "edges": edges,
        "depth": depth,
        "year": year,
    }
    return render(request, "catalogue/explore.html", context)
