from django.shortcuts import render
from django.urls import path

# A dozen rows give a page of about 2 KB, the size of a small real page's body, rendered
# by the template engine as the shops' pages are.
ROWS = [{"name": f"Produk contoh {n}", "price": 25000 + 500 * n} for n in range(1, 13)]


def index(request):
    return render(request, "floor.html", {"rows": ROWS})


urlpatterns = [path("", index)]
