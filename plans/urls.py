from django.urls import path

from . import views

# Unnamespaced, as these pages have always been: "strategy", "actions", "actions_detail"...
urlpatterns = [
    path("strategy/", views.StrategyListView.as_view(), name="strategy"),
    path("strategy/new/", views.StrategyCreateView.as_view(), name="strategy_create"),
    path("strategy/<int:pk>/", views.StrategyDetailView.as_view(), name="strategy_detail"),
    path("strategy/<int:pk>/edit/", views.StrategyEditView.as_view(), name="strategy_edit"),
    path("strategy/<int:pk>/priorities/new/", views.PriorityCreateView.as_view(), name="strategy_priority_create"),
    path("strategy/priorities/<int:pk>/edit/", views.PriorityEditView.as_view(), name="strategy_priority_edit"),
    path("actions/", views.ActionPlanView.as_view(), name="actions"),
    path("actions/new/", views.ActionCreateView.as_view(), name="actions_create"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="actions_detail"),
    path("actions/<int:pk>/edit/", views.ActionEditView.as_view(), name="actions_edit"),
    path("actions/<int:pk>/progress/", views.ActionProgressView.as_view(), name="actions_progress"),
]
