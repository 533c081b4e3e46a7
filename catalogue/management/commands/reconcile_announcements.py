import time

from django.core.management import BaseCommand

from catalogue import announcing


class Command(BaseCommand):
    help = (
        "Compare what partners were last told is public with what is public now, and write "
        "the tombstones (deletions feed, OAI-PMH, dump) of records that left public view by a "
        "path no hook sees: raw SQL, another program on the database. Safe to run any time; "
        "run it after loaddata and after restoring a backup."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        done = announcing.reconcile()
        buried = sum(gone for gone, _ in done.values())
        added = sum(new for _, new in done.values())
        detail = ", ".join(
            f"{record_type} {gone}/{new}" for record_type, (gone, new) in done.items()
        )
        self.stdout.write(
            f"Reconciled in {time.monotonic() - started:.1f} s: {buried} tombstones written, "
            f"{added} records announced as public (tombstones/announced: {detail})."
        )
