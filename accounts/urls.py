from django.urls import path

from accounts import apis

urlpatterns = [
    path("users", apis.UserRegisterApi.as_view(), name="user-register"),
    path("users/login", apis.UserLoginApi.as_view(), name="user-login"),
    path("user", apis.CurrentUserApi.as_view(), name="user-current"),
]
