"""Forms of the shop pages. They only parse; the services decide (price above zero, stock
not below zero, enough in stock)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nutag.core.forms import MultipleFileField
from nutag.market.models import ProductCategory, SaleUnit


class ProductForm(forms.Form):
    title = forms.CharField(label=_("Name of the product"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=ProductCategory.choices)
    price = forms.CharField(label=_("Price in yuan"), max_length=14)
    sale_unit = forms.ChoiceField(label=_("Sold by"), choices=SaleUnit.choices)
    stock = forms.CharField(label=_("How many in stock"), max_length=9)
    pickup = forms.BooleanField(label=_("Buyers may pick it up"), required=False, initial=True)
    delivery = forms.BooleanField(label=_("I can deliver"), required=False)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    contact = forms.CharField(label=_("How to reach the seller"), max_length=60, required=False)
    photos = MultipleFileField(label=_("Photos (up to 4)"), required=False)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs.update({"accept": "image/*"})
        self.fields["price"].widget.attrs.update({"inputmode": "decimal"})
        self.fields["stock"].widget.attrs.update({"inputmode": "numeric"})


class ProductEditForm(ProductForm):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        del self.fields["photos"]


class OrderForm(forms.Form):
    quantity = forms.CharField(label=_("How many"), max_length=6, initial="1")
    contact = forms.CharField(label=_("How to reach you"), max_length=60, required=False)
    note = forms.CharField(label=_("Note to the seller"), max_length=300, required=False)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["quantity"].widget.attrs.update({"inputmode": "numeric"})


class PaymentForm(forms.Form):
    amount = forms.CharField(label=_("Amount paid in yuan"), max_length=14)
    how = forms.CharField(label=_("How it was paid"), max_length=60)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Stars"), choices=[(i, "★" * i) for i in range(5, 0, -1)], coerce=int
    )
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)
