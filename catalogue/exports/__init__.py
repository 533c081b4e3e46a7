"""Standard exports of public records: Dublin Core, EAD3 and EAC-CPF, as lxml elements.

Per-record download views and the OAI-PMH endpoint both build their XML here. Each function
takes a record as the public may see it (`record.public_view()` of a record from `.public()`)
and reads related records only through `.public()`.
"""
