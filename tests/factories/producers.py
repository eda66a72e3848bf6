"""The one factory per model of apps.producers (rows made directly, for test set-up only), and upload helpers.

``ProducerFactory(tea=True)`` is the tea cooperative of Đường Hoa the certificate tests print on PDFs.
"""

import io

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.core.text import fold
from apps.producers.enums import DocumentKind, ProducerKind
from apps.producers.models import Producer, ProducerDocument

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    class Params:
        tea = factory.Trait(
            name=factory.Sequence(lambda n: f"Hợp tác xã Chè Đường Hoa số {n}"),
            slug=factory.Sequence(lambda n: f"htx-che-duong-hoa-{n}"),
            address="Thôn Khe Lạc, xã Đường Hoa, huyện Hải Hà",
            legal_representative="Nguyễn Thị Hương",
        )

    name = factory.Sequence(lambda n: f"HTX Thử nghiệm {n}")
    slug = factory.Sequence(lambda n: f"htx-thu-nghiem-{n}")
    kind = ProducerKind.COOPERATIVE
    commune = None
    address = "Thôn 1"
    legal_representative = "Nguyễn Văn A"
    tax_code = factory.Sequence(lambda n: f"57{n:08d}")
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.name} {o.tax_code or ''}"))


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProducerDocument

    producer = factory.SubFactory(ProducerFactory)
    kind = DocumentKind.FOOD_SAFETY
    title = factory.LazyAttribute(lambda o: str(DocumentKind(o.kind).label))
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="giay-to.pdf"))
    content_type = "application/pdf"
    issued_on = None
    expires_on = None


def pdf_upload(name="giay-phep.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def elf_upload(name="giay-phep.pdf"):
    return SimpleUploadedFile(name, ELF_BYTES, content_type="application/pdf")


def png_upload(name="anh.png", size=(1600, 1200)):
    """A photo-like PNG (noise compresses badly, so the thumbnail is clearly smaller)."""
    img = Image.effect_noise(size, 60).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")
