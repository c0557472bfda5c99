from django.urls import path

from . import views

app_name = "placements"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    path("how-figures-are-worked-out/", views.DefinitionsView.as_view(), name="definitions"),
    path("list/", views.PlacementListView.as_view(), name="list"),
    path("children/<int:pk>/", views.ChildView.as_view(), name="child"),
    path("<int:pk>/", views.PlacementView.as_view(), name="placement"),
    path("add/", views.PlacementCreateView.as_view(), name="placement_add"),
    path("<int:pk>/edit/", views.PlacementEditView.as_view(), name="placement_edit"),
    path("<int:pk>/costs/add/", views.CostLineCreateView.as_view(), name="cost_add"),
    path("<int:pk>/ipa/", views.AgreementEditView.as_view(), name="ipa_edit"),
    path("ipas/", views.IpaQueueView.as_view(), name="ipa_queue"),
    path("panel-reviews/", views.PanelReviewsDueView.as_view(), name="panel_reviews"),
    path("panel-reviews/<int:pk>/record/", views.PanelReviewRecordView.as_view(), name="panel_review_record"),
    path("cost-changes/", views.CostApprovalsView.as_view(), name="cost_approvals"),
    path("cost-changes/<int:pk>/decide/", views.CostDecisionView.as_view(), name="cost_decide"),
    path("import/903/", views.Import903View.as_view(), name="import_903"),
    path("import/903/<str:file>-template.csv", views.Import903TemplateView.as_view(), name="import_903_template"),
    path("import/903/dfe-checks/<int:pk>/rows.csv", views.DfeCheckRowsView.as_view(), name="dfe_check_rows"),
    path("imports/", views.PlacementImportRecordsView.as_view(), name="imports"),
    path("import/903/problems/", views.DataProblemsView.as_view(), name="data_problems"),
    path("import/903/<int:pk>/", views.ReturnImportView.as_view(), name="return_import"),
    path("import/postcode-districts/", views.ImportDistrictsView.as_view(), name="import_districts"),
]
