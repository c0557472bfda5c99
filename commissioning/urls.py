from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import account_views, history, oidc, views

admin.site.site_header = f"{settings.AUTHORITY_NAME}: {settings.SERVICE_NAME}"
admin.site.site_title = settings.SERVICE_NAME
admin.site.index_title = "Administration"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sign-in/", account_views.SignInView.as_view(redirect_authenticated_user=True), name="login"),
    path("sign-in/council/", oidc.CouncilSignInView.as_view(), name="oidc_authentication_init"),
    path("sign-in/council/callback/", oidc.CouncilSignInCallbackView.as_view(), name="oidc_authentication_callback"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account_views.AccountView.as_view(), name="account"),
    path("account/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("account/authenticator/set-up/", account_views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("account/authenticator/code/", account_views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("account/keep-alive/", account_views.session_keep_alive, name="session_keep_alive"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (downloads, the admin's own pages).
    path("favicon.ico", views.favicon),
    path("system-status/", views.SystemStatusView.as_view(), name="system_status"),
    path("history/<str:app_label>/<str:model_name>/<int:pk>/", history.record_history, name="record_history"),
    path("", include("plans.urls")),
    path("reports/", include("reports.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("kpis/", include("kpis.urls")),
    path("contracts/", include("contracts.urls")),
    path("placements/", include("placements.urls")),
    path("finance/", include("finance.urls")),
    path("market/", include("market.urls")),
    path("programme/", include("programme.urls")),
    path("sufficiency/", include("sufficiency.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
