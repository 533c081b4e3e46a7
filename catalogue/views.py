from django.shortcuts import render

from .models import Document, Event, LegalCase, Organization, Person


def home(request):
    counts = [
        (model._meta.verbose_name_plural, model.objects.public().count())
        for model in (Document, Person, Organization, LegalCase, Event)
    ]
    return render(request, "catalogue/home.html", {"counts": counts})
