"""The partner API: read-only, versioned under /api/v1/, public records only.

Every list starts from `.public()`, filters with the same FilterSets as the public pages and
serializes `record.public_view()`, so the API can show no more than the pages do.
"""
