"""What an import does once per chunk of rows rather than once a row: the history, the
search entries, and the references to rows that came later in the file."""

import reversion
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..widgets import message_of


def fresh(resource, instances):
    """The saved rows read again, with what the history follows read in a few queries."""
    model = resource._meta.model
    lookups = [field.name for field in model._meta.many_to_many]
    if reversion.is_registered(model):
        lookups += list(reversion.revisions._get_options(model).follow)
    lookups += resource.also_prefetch
    pks = list(dict.fromkeys(instance.pk for instance in instances))
    return list(model.objects.filter(pk__in=pks).prefetch_related(*set(lookups)))


def add_to_history(resource, instances):
    if not instances:
        return
    instances = fresh(resource, instances)
    resource.after_chunk(instances)
    with reversion.create_revision():
        if resource.user is not None and resource.user.is_authenticated:
            reversion.set_user(resource.user)
        reversion.set_comment(
            _("Imported from %(file)s") % {"file": resource.file_name or _("a CSV file")}
        )
        for instance in instances:
            reversion.add_to_revision(instance)


def resolve_later_references(resource, history, batch):
    """See `CatalogueResource.finish`."""
    errors, resource.resolved = [], []
    pending, resource.pending = resource.pending, []
    for model, pk, attribute, column, value, row in pending:
        field = resource.fields[column]
        try:
            target = field.widget.find(value)
        except ValueError as error:
            errors.append((row, column, message_of(error)))
            continue
        if target is None:
            errors.append((row, column, field.widget.not_found(value)))
            continue
        instance = model.objects.get(pk=pk)
        setattr(instance, attribute, target)
        try:
            # The reference was found and nothing unique changed: the record's own rules
            # (a document cannot be part of itself) are what is left to check.
            instance.full_clean(
                exclude=[attribute], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.append((row, name if name != NON_FIELD_ERRORS else None, messages[0]))
            continue
        with transaction.atomic():
            resource.save(instance)
        resource.resolved.append(instance)
        if history and len(resource.resolved) >= batch:
            add_to_history(resource, resource.resolved)
            resource.resolved = []
    if history:
        add_to_history(resource, resource.resolved)
        resource.resolved = []
    return errors
