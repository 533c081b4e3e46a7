import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, call_command
from django.db import transaction

from catalogue import search
from catalogue.models import RECORD_MODELS
from catalogue.roles import ARCHIVIST, ensure_groups


def admin_url():
    """The admin's address on the host and port `make demo` serves on (see the Makefile)."""
    host = os.environ.get("HOST") or "127.0.0.1"
    port = os.environ.get("PORT") or "8000"
    if ":" in host:  # an IPv6 address is written in brackets in a URL
        host = f"[{host}]"
    return f"http://{host}:{port}/admin/"


class Command(BaseCommand):
    help = (
        "Load the MRTA demo collection into an empty catalogue and create an archivist login. "
        "Safe to run again: it never overwrites records, and it resets the login's password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="archivist")
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_ARCHIVIST_PASSWORD", ""),
            help="Defaults to $DEMO_ARCHIVIST_PASSWORD, or a new random password.",
        )

    @transaction.atomic
    def handle(self, *args, username, password, **options):
        if any(model.objects.exists() for model in RECORD_MODELS):
            self.stdout.write(
                "The catalogue already holds records; the demo collection was not loaded."
            )
        else:
            call_command("loaddata", "mrta", verbosity=0)  # records and the About page
            counts = ", ".join(
                f"{model.objects.count()} {model._meta.verbose_name_plural}"
                for model in RECORD_MODELS
            )
            hidden = sum(
                model.objects.count() - model.objects.public().count() for model in RECORD_MODELS
            )
            self.stdout.write(self.style.SUCCESS(f"Loaded the MRTA demo collection: {counts}."))
            self.stdout.write(
                f"{hidden} of them are not public (drafts, restricted or embargoed): the "
                "README's section 'The demo collection' says where to see them."
            )

        indexed = search.rebuild()
        self.stdout.write(f"Indexed {indexed} records for search.")
        if search.engine.enabled():
            # Fixtures load without saving through the models: the change log has not seen them.
            search.engine.rebuild()
        ensure_groups()
        password = password or secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=ARCHIVIST))
        self.stdout.write(
            self.style.SUCCESS(f"Archivist login for {admin_url()}\n")
            + f"  username: {username}\n  password: {password}"
        )
