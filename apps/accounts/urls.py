from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.user_list, name="user_list"),
    path("moi/", views.user_invite_view, name="user_invite"),
    path("<int:pk>/gui-lai-loi-moi/", views.user_invite_resend_view, name="user_invite_resend"),
]
