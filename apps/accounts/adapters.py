"""allauth adapter: nobody signs up; staff and producers are invited (see services.user_invite)."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False
