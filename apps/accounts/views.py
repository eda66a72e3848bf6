"""Screens for accounts: the list of users in one's jurisdiction and inviting a new user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.policy import scope
from apps.geo.models import AdministrativeUnit

from .forms import InviteForm
from .selectors import users_visible_to
from .services import user_invite


@login_required
def user_list(request):
    if not request.user.has_perm("accounts.invite_user") and not request.user.is_national:
        raise PermissionDenied
    users = users_visible_to(request.user).order_by("unit__path", "email")[:500]
    return render(request, "accounts/user_list.html", {"users": users})


@login_required
@require_http_methods(["GET", "POST"])
def user_invite_view(request):
    if not request.user.has_perm("accounts.invite_user"):
        raise PermissionDenied
    units = scope(AdministrativeUnit.objects.all(), request.user, unit_field=None)
    form = InviteForm(request.POST or None, inviter=request.user, unit_queryset=units)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_invite(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": user.email})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_invite.html", {"form": form})
