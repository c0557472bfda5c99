from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    path("budgets/", views.BudgetsView.as_view(), name="budgets"),
    path("lines/<int:year>/<str:code>/", views.LineView.as_view(), name="line"),
    path("history/", views.HistoryView.as_view(), name="history"),
    path("high-cost/", views.HighCostView.as_view(), name="high_cost"),
    path("savings/", views.SavingsView.as_view(), name="savings"),
    path("import/budgets/", views.ImportBudgetsView.as_view(), name="import_budgets"),
    path("import/placement-costs/", views.ImportCostsView.as_view(), name="import_costs"),
    path("imports/", views.FinanceImportRecordsView.as_view(), name="imports"),
]
