"""What an archivist may attach to a document, checked on the admin's form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.models import Document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEMORIA_MAX_UPLOAD_MB = 1


def attach(client, name, content):
    url = reverse("admin:catalogue_document_add")
    page = client.get(url)
    data = {
        "reference_code": "PE-MEM-UP-1",
        "title": "Judgment with a scan",
        "level": "item",
        "dates": "1997-04",
        "extent_and_medium": "1 item",
        "kind": "judgment",
        "status": "published",
        "access": "open",
        "sources": "A source",
        "file": SimpleUploadedFile(name, content),
    }
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return client.post(url, data)


def test_a_pdf_is_attached_and_served_to_the_public(archivist_client, client):
    response = attach(archivist_client, "judgment.pdf", PDF)
    assert response.status_code == 302
    document = Document.objects.get()
    served = client.get(document.file.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "Attach a file of one of these types"),
        ("page.html", b"<script>alert(1)</script>", "Attach a file of one of these types"),
        ("judgment.pdf", b"<html><script>alert(1)</script>", "content is not a PDF file"),
        ("photo.jpg", PDF, "content is not a JPG file"),
        ("notes.txt", b"\x00\x01\x02binary", "content is not a TXT file"),
        ("big.pdf", PDF + b"0" * (1024 * 1024), "the limit is 1.0"),
    ],
)
def test_a_file_of_the_wrong_type_content_or_size_is_refused_and_nothing_is_saved(
    archivist_client, name, content, message
):
    response = attach(archivist_client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()
