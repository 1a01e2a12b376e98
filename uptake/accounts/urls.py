from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.SignIn.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/language/", views.profile_language, name="profile_language"),
    path("language/", views.language_set, name="set_language"),
    path(
        "password/",
        views.PasswordChange.as_view(),
        name="password_change",
    ),
]
