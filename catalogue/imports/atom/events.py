"""AtoM's events CSV: more creators and other agents of descriptions already imported.

Each row names a description by the `legacyId` it had in an earlier AtoM import, an agent
(matched by name, else added as a draft person) and an AtoM event type: Creation and
Accumulation make the agent a creator; any other type (Publication, Edited…) links the agent
as mentioned, with AtoM's type in the link's note.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...models import Document, DocumentLink, ImportKey
from . import agents
from .agents import link_role
from .base import Action, AtomFormat
from .values import RowError, cell


class Events(AtomFormat):
    name = "atom-event"
    label = gettext_lazy("AtoM events (CSV)")
    model = Document
    signature = frozenset({"legacyId", "eventActorName", "eventType"})
    columns = frozenset({"legacyId", "eventActorName", "eventType", "culture"})

    def import_row(self, row, run):
        legacy_id = cell(row, "legacyId")
        pk = ImportKey.objects.lookup(run.source, "document", legacy_id) if legacy_id else None
        document = Document.objects.filter(pk=pk).first() if pk else None
        if document is None:
            raise RowError(
                "legacyId",
                _(
                    "legacyId “%(id)s” is not a description of an earlier AtoM import: "
                    "import the descriptions first."
                )
                % {"id": legacy_id},
            )
        name = cell(row, "eventActorName")
        if not name:
            raise RowError("eventActorName", _("Give the name of the event's agent."))
        role, note = link_role(cell(row, "eventType") or "Creation")
        agent, _created = agents.find_or_create(name, run)
        link, made = DocumentLink.objects.get_or_create(
            document=document, role=role, defaults={"note": note}, **{agent.record_type: agent}
        )
        if not made and link.note == note:
            return Action.SKIP, link, []
        if not made:
            link.note = note
            link.full_clean()
            link.save()
        return (Action.NEW if made else Action.UPDATE), link, []
