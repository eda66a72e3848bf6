"""The one factory per model of apps.products.

``ProductFactory(commune=c)`` makes its producer in ``c``; ``ProductFactory(producer=p)`` takes ``p``'s commune.
``ProductFactory(tea=True)`` is the Ba Chẽ tea (set TP11) of the tea cooperative, as printed on certificates.
"""

import factory

from apps.core.text import fold
from apps.products.models import Product, ProductGroup, ProductSet
from tests.factories.producers import ProducerFactory


def product_set(code="TP08"):
    """A product set from the migration data; recreated if a transactional test flushed it."""
    found = ProductSet.objects.filter(code=code).first()
    if found:
        return found
    group, _ = ProductGroup.objects.get_or_create(code="TP", defaults={"name": "Thực phẩm", "order": 1})
    return ProductSet.objects.create(group=group, code=code, name="Chè (trà)", order=11)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    class Params:
        tea = factory.Trait(
            name=factory.Sequence(lambda n: f"Trà hoa vàng Ba Chẽ loại đặc biệt {n}"),
            slug=factory.Sequence(lambda n: f"tra-hoa-vang-ba-che-{n}"),
            product_set=factory.LazyFunction(lambda: product_set("TP11")),
            producer__tea=True,
        )

    name = factory.Sequence(lambda n: f"Sản phẩm thử {n}")
    slug = factory.Sequence(lambda n: f"san-pham-thu-{n}")
    product_set = factory.LazyFunction(lambda: ProductSet.objects.get(code="TP08"))
    commune = None
    producer = factory.SubFactory(ProducerFactory, commune=factory.SelfAttribute("..commune"))
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.name} {o.producer.name}"))

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if kwargs.get("commune") is None:
            kwargs["commune"] = kwargs["producer"].commune
        return kwargs
