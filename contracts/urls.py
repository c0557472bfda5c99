from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.ContractRegisterView.as_view(), name="index"),
    path("export.<str:fmt>", views.ContractExportView.as_view(), name="export"),
    path("new/", views.ContractCreateView.as_view(), name="create"),
    path("due/", views.ContractsDueView.as_view(), name="due"),
    path("import/", views.ContractImportView.as_view(), name="import"),
    path("imports/", views.ContractImportRecordsView.as_view(), name="imports"),
    path("<int:pk>/", views.ContractDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ContractEditView.as_view(), name="edit"),
    path("<int:pk>/decision/", views.RecordDecisionView.as_view(), name="decision"),
    path("<int:pk>/reviews/new/", views.AddReviewView.as_view(), name="add_review"),
    path("providers/", views.ProviderListView.as_view(), name="providers"),
    path("providers/new/", views.ProviderCreateView.as_view(), name="provider_create"),
    path("providers/<int:pk>/", views.ProviderDetailView.as_view(), name="provider_detail"),
    path("providers/<int:pk>/edit/", views.ProviderEditView.as_view(), name="provider_edit"),
    path("frameworks/", views.FrameworkListView.as_view(), name="frameworks"),
    path("frameworks/new/", views.FrameworkCreateView.as_view(), name="framework_create"),
    path("frameworks/<int:pk>/", views.FrameworkDetailView.as_view(), name="framework_detail"),
    path("frameworks/<int:pk>/edit/", views.FrameworkEditView.as_view(), name="framework_edit"),
    path("frameworks/<int:pk>/providers/add/", views.MembershipAddView.as_view(), name="framework_add_member"),
    path("frameworks/<int:pk>/providers/<int:member_pk>/remove/", views.MembershipRemoveView.as_view(),
         name="framework_remove_member"),
    path("pipeline/", views.PipelineView.as_view(), name="pipeline"),
    path("pipeline/new/", views.PlanItemCreateView.as_view(), name="plan_create"),
    path("pipeline/<int:pk>/edit/", views.PlanItemEditView.as_view(), name="plan_edit"),
    path("open-data/", views.OpenDataView.as_view(), name="open_data"),
    path("open-data/transparency.csv", views.TransparencyExportView.as_view(), name="transparency"),
    path("open-data/ocds.json", views.OcdsExportView.as_view(), name="ocds"),
    path("open-data/public/transparency.csv", views.PublicOpenDataView.as_view(kind="transparency"),
         name="public_transparency"),
    path("open-data/public/ocds.json", views.PublicOpenDataView.as_view(kind="ocds"), name="public_ocds"),
]
