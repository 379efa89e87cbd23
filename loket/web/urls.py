"""Pages for people (the API is under /api/v1). Paths in Dutch: residents read them."""

from django.urls import path

from .views import auth, public

app_name = "web"

urlpatterns = [
    path("", public.home, name="home"),
    path("toegankelijkheid", public.accessibility, name="accessibility"),
    path("login", auth.LoginView.as_view(), name="login"),
    path("logout", auth.LogoutView.as_view(), name="logout"),
]
