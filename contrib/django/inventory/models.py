from django.db import models


class Product(models.Model):
    external_id = models.CharField(max_length=100, blank=True, db_index=True)  # OkVet id
    sku = models.TextField(blank=True, db_index=True)
    name = models.TextField(blank=True)
    category = models.TextField(blank=True)
    product_type = models.TextField(blank=True)
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    stock = models.IntegerField(null=True, blank=True)
    unit = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
