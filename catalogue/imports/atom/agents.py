"""The persons and organizations AtoM names in descriptions and events.

AtoM links a name to an authority record only on an exact match of its authorized form, and
otherwise creates one. So does this import, matching other forms of name too; AtoM does not
say whether a new name is a person or a body, so it becomes a draft person that the note
asks an archivist to check (import the authority records first to avoid this).
"""

from django.utils.translation import gettext as _

from ... import services
from ...models import DocumentLink, Organization, OrganizationName, Person, PersonName, Record

CREATION_TYPES = {"creation", "accumulation"}  # AtoM's event types that make a creator


def find(name):
    """The person or organization called `name`, by authorized then other form; or None."""
    return (
        Person.objects.filter(authorized_name=name).order_by("pk").first()
        or Organization.objects.filter(authorized_name=name).order_by("pk").first()
        or _by_other_name(PersonName, "person", name)
        or _by_other_name(OrganizationName, "organization", name)
    )


def _by_other_name(model, field, name):
    row = model.objects.filter(name=name).select_related(field).order_by("pk").first()
    return getattr(row, field) if row else None


def text_field(agent):
    """The field that holds an agent's history: a person's biography, a body's history."""
    return agent.translated_text


def find_or_create(name, run, history=""):
    """(agent, created) for a name in a description; a new one is a draft person.

    `history` (AtoM's eventActorHistories) fills the agent's biography or history where it
    is still empty; it never replaces one an archivist wrote.
    """
    agent = run.agents.get(name) or find(name)
    run.agents[name] = agent
    if agent is None:
        agent = Person(
            authorized_name=name,
            status=Record.Status.DRAFT,
            biography=history,
            archivist_note=_(
                "Created by the AtoM import of %(file)s, which named it without saying "
                "whether it is a person or a body: check it, and record it as an "
                "organization instead if it is one."
            )
            % {"file": run.file_name},
        )
        agent.full_clean()
        services.save_record(agent, index=False)
        run.new_agents.append(name)
        run.agents[name] = agent
        run.wrote(agent)
        return agent, True
    if history and not getattr(agent, text_field(agent)).strip():
        setattr(agent, text_field(agent), history)
        services.save_record(agent, index=False)
        run.wrote(agent)
    return agent, False


def link_role(event_type):
    """(role, note) of the link an AtoM event makes between its agent and a description:
    Creation and Accumulation make a creator; other types, a mention noting the type."""
    folded = event_type.casefold()
    if folded == "creation":
        return DocumentLink.Role.CREATOR, ""
    if folded in CREATION_TYPES:
        return DocumentLink.Role.CREATOR, event_type
    return DocumentLink.Role.MENTIONED, _("AtoM event: %(type)s") % {"type": event_type}
