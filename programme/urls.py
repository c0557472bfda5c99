from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.ProgrammeView.as_view(), name="index"),
    path("projects/", views.ProjectListView.as_view(), name="projects"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project"),
    path("projects/<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("projects/<int:pk>/gateway/", views.GatewayDecisionView.as_view(), name="gateway"),
    path("projects/<int:pk>/products/<str:kind>/", views.ProductEditView.as_view(), name="product"),
    path("projects/<int:pk>/equality-impact/", views.EiaView.as_view(), name="eia"),
    path("projects/<int:pk>/options/new/", views.OptionCreateView.as_view(), name="option_create"),
    path("projects/<int:pk>/options/<int:option_pk>/edit/", views.OptionEditView.as_view(), name="option_edit"),
    path("projects/<int:pk>/engagement/new/", views.EngagementCreateView.as_view(), name="engagement_create"),
    path("import/", views.ProgrammeImportView.as_view(), name="import"),
    path("risks/", views.RiskListView.as_view(), name="risks"),
    path("risks/new/", views.RiskCreateView.as_view(), name="risk_create"),
    path("risks/<int:pk>/", views.RiskDetailView.as_view(), name="risk"),
    path("risks/<int:pk>/edit/", views.RiskEditView.as_view(), name="risk_edit"),
]
