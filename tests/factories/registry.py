"""Factories for producers, their documents and products (rows made directly, for test set-up only)."""

import io

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.core.text import fold
from apps.producers.enums import DocumentKind, ProducerKind
from apps.producers.models import Producer, ProducerDocument
from apps.products.models import Product, ProductSet

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

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
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="giay-chung-nhan.pdf"))
    content_type = "application/pdf"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Sản phẩm thử {n}")
    slug = factory.Sequence(lambda n: f"san-pham-thu-{n}")
    product_set = factory.LazyFunction(lambda: ProductSet.objects.get(code="TP08"))
    producer = factory.SubFactory(ProducerFactory)
    commune = factory.LazyAttribute(lambda o: o.producer.commune)
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.name} {o.producer.name}"))


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
