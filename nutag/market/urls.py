from django.urls import path

from nutag.market import views

urlpatterns = [
    path("u/<str:code>/market/", views.market, name="market"),
    path("u/<str:code>/market/new/", views.product_new, name="market-product-new"),
    path("u/<str:code>/market/<int:pk>/", views.product_detail, name="market-product"),
    path("u/<str:code>/market/<int:pk>/edit/", views.product_edit, name="market-product-edit"),
    path("u/<str:code>/market/sellers/<int:pk>/", views.seller_page, name="market-seller"),
    path("market/orders/", views.my_orders, name="market-orders"),
    path("market/orders/<int:pk>/", views.order_detail, name="market-order"),
]
