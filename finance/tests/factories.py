from decimal import Decimal

import factory

from finance.models import BudgetLine


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    financial_year = 2025
    code = factory.Sequence(lambda n: f"PL{n:02d}")
    name = factory.Sequence(lambda n: f"Budget line {n}")
    placement_category = "foster_other"
    provision = "in_house"
    amount = Decimal("100000.00")
    savings_target = Decimal("0.00")
