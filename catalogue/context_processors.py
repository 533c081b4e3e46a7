from .models import RECORD_TYPES


def record_types(request):
    """The record types, for the navigation every public page carries."""
    return {"nav_record_types": RECORD_TYPES}
