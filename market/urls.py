from django.urls import path

from . import views

app_name = "market"

urlpatterns = [
    path("", views.MarketIndexView.as_view(), name="index"),
    path("groups/", views.GroupListView.as_view(), name="groups"),
    path("groups/new/", views.GroupCreateView.as_view(), name="group_create"),
    path("groups/<int:pk>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/edit/", views.GroupEditView.as_view(), name="group_edit"),
    path("providers/<int:pk>/", views.ProviderMarketView.as_view(), name="provider_detail"),
    path("providers/<int:pk>/group/", views.ProviderGroupView.as_view(), name="provider_group"),
    path("providers/<int:pk>/checks/new/", views.QualityCheckCreateView.as_view(), name="check_create"),
    path("checks/<int:pk>/actions/new/", views.ActionAddView.as_view(), name="action_add"),
    path("actions/<int:pk>/complete/", views.ActionCompleteView.as_view(), name="action_complete"),
    path("ofsted/import/", views.OfstedImportView.as_view(), name="import_ofsted"),
    path("imports/", views.MarketImportRecordsView.as_view(), name="imports"),
    path("ofsted/unmatched/", views.UnmatchedSettingsView.as_view(), name="unmatched"),
    path("ofsted/settings/<int:pk>/link/", views.LinkSettingView.as_view(), name="setting_link"),
    path("risk/", views.RiskMatrixView.as_view(), name="risk"),
    path("performance/", views.PerformanceView.as_view(), name="performance"),
    path("performance/ratings.csv", views.RatingsExportView.as_view(), name="ratings_export"),
    path("contracts/<int:pk>/", views.ContractPerformanceView.as_view(), name="contract_performance"),
    path("contracts/<int:pk>/kpis/new/", views.ContractKpiCreateView.as_view(), name="contract_kpi_create"),
    path("contracts/<int:pk>/return/", views.ContractReturnView.as_view(), name="contract_return"),
    path("contracts/<int:pk>/rating/", views.ContractRateView.as_view(), name="contract_rate"),
]
