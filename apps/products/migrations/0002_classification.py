"""Load the 6 groups and 26 product sets (Decision 148/QĐ-TTg, Annex I)."""

from django.db import migrations

from apps.products.data.classification import GROUPS, SETS_WITHOUT_SAMPLES


def load(apps, schema_editor):
    ProductGroup = apps.get_model("products", "ProductGroup")
    ProductSet = apps.get_model("products", "ProductSet")
    for g_order, (g_code, g_name, sets) in enumerate(GROUPS, start=1):
        group, _ = ProductGroup.objects.update_or_create(code=g_code, defaults={"name": g_name, "order": g_order})
        for s_order, (s_code, s_name) in enumerate(sets, start=1):
            ProductSet.objects.update_or_create(
                code=s_code,
                defaults={"group": group, "name": s_name, "order": s_order, "needs_samples": s_code not in SETS_WITHOUT_SAMPLES},
            )


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
