from django.urls import path

from . import views

app_name = "sufficiency"

urlpatterns = [
    path("", views.ForecastView.as_view(), name="forecast"),
    path("run/", views.RunView.as_view(), name="run"),
    path("method/", views.MethodView.as_view(), name="method"),
    path("scenarios/add/", views.ScenarioCreateView.as_view(), name="scenario_add"),
    path("scenarios/<int:pk>/", views.ScenarioEditView.as_view(), name="scenario"),
    path("scenarios/<int:pk>/delete/", views.ScenarioDeleteView.as_view(), name="scenario_delete"),
    path("costs/", views.CostsView.as_view(), name="costs"),
    path("supply/", views.SupplyView.as_view(), name="supply"),
    path("costs/<str:category>/", views.UnitCostSetView.as_view(), name="unit_cost"),
]
