"""Screens for accounts: the list of users in one's jurisdiction and inviting a new user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.enums import MailState
from apps.core.policy import scope
from apps.geo.models import AdministrativeUnit

from .forms import InviteForm
from .selectors import users_visible_to, with_invitation_state
from .services import user_invite, user_invite_resend


@login_required
def user_list(request):
    if not request.user.has_perm("accounts.invite_user") and not request.user.is_national:
        raise PermissionDenied
    users = with_invitation_state(users_visible_to(request.user)).order_by("unit__path", "email")[:500]
    return render(request, "accounts/user_list.html", {"users": users, "MailState": MailState})


@login_required
@require_POST
def user_invite_resend_view(request, pk):
    if not request.user.has_perm("accounts.invite_user"):
        raise PermissionDenied
    user = get_object_or_404(users_visible_to(request.user), pk=pk)
    try:
        user_invite_resend(user=user, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The invitation will be sent again to %(email)s.") % {"email": user.email})
    return redirect("accounts:user_list")


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
