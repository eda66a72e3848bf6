"""The one factory per model of apps.audit: an audit event (made directly; the services write them in the app)."""

import factory

from apps.audit.models import AuditEvent


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    action = "product.create"
    object_type = "products.product"
    object_id = factory.Sequence(str)
    object_repr = factory.Sequence(lambda n: f"Sản phẩm thử {n}")
