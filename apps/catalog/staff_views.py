"""Staff screens of trade promotion: points of sale and fairs of the user's jurisdiction and the products they carry.

Each view checks a permission, binds a form, calls one service and redirects or renders. Objects are fetched through
the user's scope, so another province's point of sale or fair is a 404; an object in scope that the user may only
look at is a 403 on every change.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.forms import add_service_errors
from apps.core.idempotency import Submission
from apps.core.pages import RecordFormPage, RecordForms
from apps.core.policy import get_object_or_403

from . import services
from .forms import FairForm, PointOfSaleForm, ProductChoiceForm, ProductSearchForm
from .selectors import (
    fairs_visible_to,
    points_of_sale_visible_to,
    trade_linked_products,
    trade_product_candidates,
    trade_staff_rows,
)

PAGE_SIZE = 50
LINKED_PAGE_SIZE = 50


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _list(request, kind):
    page = Paginator(trade_staff_rows(kind.visible_to(request.user)), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, kind.template("list"), {"page": page, "kind": kind, "can_add": request.user.has_perm(kind.perm("add"))}
    )


def _detail(request, obj, kind, *, may_change):
    search = ProductSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    linked = Paginator(trade_linked_products(obj), LINKED_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        kind.template("detail"),
        {
            "kind": kind,
            "object": obj,
            "linked": linked,
            "may_change": may_change,
            "search": search,
            "search_query": urlencode({"q": query}) if query else "",
            "candidates": trade_product_candidates(obj, query=query) if may_change else [],
            "today": timezone.localdate(),
        },
    )


def _product_change(request, obj, change, detail_url, success_message):
    form = ProductChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was incomplete; nothing was changed."))
        return redirect(detail_url, pk=obj.pk)
    product = form.cleaned_data["product"]
    try:
        change(product)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success_message % {"product": product.name})
    return redirect(detail_url, pk=obj.pk)


@dataclass(frozen=True)
class TradeKind:
    """What differs between the screens of points of sale and of fairs; the views below serve both.

    ``name`` prefixes the URL names (``trade:<name>_detail``), the templates (``catalog/staff/<name>_list.html`` and
    ``_detail.html``, which extend ``trade_list.html`` and ``trade_detail.html``) and the services
    (``services.<name>_update(<name>=obj, ...)``). The form page is the shared ``layouts/record_form.html``.
    """

    name: str
    model_name: str
    visible_to: object
    form_class: type
    created: str
    linked: str
    unlinked: str
    list_label: str
    edit_title: str
    new_title: str
    empty_list: str
    link_rule: str

    def perm(self, action):
        return f"catalog.{action}_{self.model_name}"

    def template(self, page):
        return f"catalog/staff/{self.name}_{page}.html"

    def url_name(self, page):
        return f"trade:{self.name}_{page}"

    @property
    def urls(self):
        """The URL names of its pages, for the templates: ``{% url kind.urls.detail object.pk %}``."""
        return {
            page: self.url_name(page)
            for page in ("list", "create", "detail", "update", "product_link", "product_unlink")
        }

    def service(self, action):
        return getattr(services, f"{self.name}_{action}")

    def form_page(self, obj=None) -> RecordFormPage:
        return RecordForms(f"trade:{self.name}", self.new_title, self.edit_title, self.list_label).page(obj)

    def fetch(self, request, pk, action):
        return get_object_or_403(self.visible_to(request.user), request.user, self.perm(action), pk=pk)


POINT_OF_SALE = TradeKind(
    name="point_of_sale",
    model_name="pointofsale",
    visible_to=points_of_sale_visible_to,
    form_class=PointOfSaleForm,
    created=gettext_lazy("The point of sale %(name)s has been registered."),
    linked=gettext_lazy("%(product)s is now listed at this point of sale."),
    unlinked=gettext_lazy("%(product)s is no longer listed at this point of sale."),
    list_label=gettext_lazy("OCOP points of sale"),
    edit_title=gettext_lazy("Edit point of sale"),
    new_title=gettext_lazy("Register a point of sale"),
    empty_list=gettext_lazy("No points of sale in your area yet."),
    link_rule=gettext_lazy("Only products with a valid OCOP certificate from this point's province can be added."),
)
FAIR = TradeKind(
    name="fair",
    model_name="fair",
    visible_to=fairs_visible_to,
    form_class=FairForm,
    created=gettext_lazy("The fair %(name)s has been registered."),
    linked=gettext_lazy("%(product)s is now shown at this fair."),
    unlinked=gettext_lazy("%(product)s is no longer shown at this fair."),
    list_label=gettext_lazy("Trade fairs"),
    edit_title=gettext_lazy("Edit fair"),
    new_title=gettext_lazy("Register a fair"),
    empty_list=gettext_lazy("No fairs in your area yet."),
    link_rule=gettext_lazy("Any product with a valid OCOP certificate, from any province, can be added."),
)


def list_view(kind):
    @login_required
    def view(request):
        _require(request, "catalog.view_trade_promotion")
        return _list(request, kind)

    return view


def create_view(kind):
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request):
        _require(request, kind.perm("add"))
        form = kind.form_class(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            submission = Submission(request)
            if submission.duplicate:
                messages.info(request, _("This form was already sent; it was saved only once."))
                return redirect(submission.previous_url or kind.url_name("list"))
            try:
                obj = kind.service("create")(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                submission.release()
                add_service_errors(form, exc)
            else:
                submission.done(reverse(kind.url_name("detail"), args=[obj.pk]))
                messages.success(request, kind.created % {"name": obj.name})
                return redirect(kind.url_name("detail"), pk=obj.pk)
        return render(request, "layouts/record_form.html", {"form": form, "form_page": kind.form_page()})

    return view


def detail_view(kind):
    @login_required
    def view(request, pk):
        obj = kind.fetch(request, pk, "view")
        return _detail(request, obj, kind, may_change=request.user.has_perm(kind.perm("change"), obj))

    return view


def update_view(kind):
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        obj = kind.fetch(request, pk, "change")
        form = kind.form_class(request.POST or None, instance=obj, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                kind.service("update")(**{kind.name: obj}, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The changes have been saved."))
                return redirect(kind.url_name("detail"), pk=obj.pk)
        return render(
            request, "layouts/record_form.html", {"form": form, "object": obj, "form_page": kind.form_page(obj)}
        )

    return view


def product_change_view(kind, action):
    """Link (``action`` "product_link") or unlink ("product_unlink") one product."""
    success_message = kind.linked if action == "product_link" else kind.unlinked

    @login_required
    @require_POST
    def view(request, pk):
        obj = kind.fetch(request, pk, "change")
        return _product_change(
            request,
            obj,
            lambda product: kind.service(action)(**{kind.name: obj}, product=product, by=request.user),
            kind.url_name("detail"),
            success_message,
        )

    return view


point_of_sale_list = list_view(POINT_OF_SALE)
point_of_sale_create = create_view(POINT_OF_SALE)
point_of_sale_detail = detail_view(POINT_OF_SALE)
point_of_sale_update = update_view(POINT_OF_SALE)
point_of_sale_product_link = product_change_view(POINT_OF_SALE, "product_link")
point_of_sale_product_unlink = product_change_view(POINT_OF_SALE, "product_unlink")

fair_list = list_view(FAIR)
fair_create = create_view(FAIR)
fair_detail = detail_view(FAIR)
fair_update = update_view(FAIR)
fair_product_link = product_change_view(FAIR, "product_link")
fair_product_unlink = product_change_view(FAIR, "product_unlink")
